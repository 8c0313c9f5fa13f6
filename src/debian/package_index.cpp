#include "debian/package_index.h"

#include <algorithm>
#include <charconv>

#include "debian/version.h"
#include "util/error.h"
#include "util/log.h"

namespace distill::debian {
namespace {

uint64_t parse_number(std::string_view text, const std::string& what) {
  uint64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    throw Error(what + ": expected a number, got '" + std::string(text) + "'");
  return n;
}

// Highest version first; among equal versions, the earlier-added first
// (callers sort with std::stable_sort, over the segments in added order).
bool higher(const Package* a, const Package* b) {
  return compare_versions(a->version, b->version) > 0;
}

void parse_source_field(const Deb822Paragraph& para, Package& p, const std::string& at) {
  std::string_view source = para.get("Source");
  if (source.empty()) return;
  size_t paren = source.find('(');
  std::string_view name = source.substr(0, paren);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  p.source = std::string(name);
  if (paren == std::string_view::npos) return;
  size_t close = source.find(')', paren);
  if (close == std::string_view::npos)
    throw Error(at + ": " + p.name + ": bad Source '" + std::string(source) + "'");
  std::string_view v = source.substr(paren + 1, close - paren - 1);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  check_version(v, at + ": " + p.name + " Source", /*strict=*/false);
  p.source_version = std::string(v);
}

}  // namespace

Package parse_package(const Deb822Paragraph& para, const PackageOrigin& origin,
                      const std::string& where, std::vector<Relation>* provides) {
  auto at = [&](std::string_view field) {
    const Deb822Field* f = para.find(field);
    return where + ":" + std::to_string(f ? f->line : para.line());
  };
  Package p;
  p.name = std::string(para.get("Package"));
  if (p.name.empty()) throw Error(at("Package") + ": paragraph without a Package field");
  p.version = std::string(para.get("Version"));
  if (p.version.empty()) throw Error(at("Version") + ": " + p.name + ": missing Version");
  check_version(p.version, at("Version") + ": " + p.name, /*strict=*/false);
  p.architecture = std::string(para.get("Architecture"));
  if (p.architecture.empty())
    throw Error(at("Architecture") + ": " + p.name + ": missing Architecture");
  p.multi_arch = std::string(para.get("Multi-Arch"));
  if (p.multi_arch == "no") p.multi_arch.clear();
  parse_source_field(para, p, at("Source"));
  p.depends = deb822_folded(para.get("Depends"));
  p.pre_depends = deb822_folded(para.get("Pre-Depends"));
  p.provides = deb822_folded(para.get("Provides"));
  p.conflicts = deb822_folded(para.get("Conflicts"));
  p.breaks = deb822_folded(para.get("Breaks"));
  p.recommends = deb822_folded(para.get("Recommends"));
  p.essential = para.get("Essential") == "yes";
  p.filename = std::string(para.get("Filename"));
  if (std::string_view s = para.get("Size"); !s.empty())
    p.size = parse_number(s, at("Size") + ": " + p.name + " Size");
  p.sha256 = std::string(para.get("SHA256"));
  if (std::string_view s = para.get("Installed-Size"); !s.empty())
    p.installed_size_kib =
        parse_number(s, at("Installed-Size") + ": " + p.name + " Installed-Size");
  p.maintainer = std::string(para.get("Maintainer"));
  p.homepage = std::string(para.get("Homepage"));
  p.section = std::string(para.get("Section"));
  p.priority = std::string(para.get("Priority"));
  p.description = deb822_multiline(para.get("Description"));
  p.origin = origin;
  p.control = std::string(para.text());
  // Check Provides here so that a bad one names this file and line.
  std::vector<Relation> provided;
  if (!p.provides.empty()) provided = parse_provides(p.provides, at("Provides") + ": " + p.name);
  if (provides) *provides = std::move(provided);
  return p;
}

// A compact Packages file (records parsed on first use), or records added
// one by one (`file` null).
struct PackageIndex::Segment {
  std::shared_ptr<const IndexFile> file;
  PackageOrigin origin;
  std::function<std::shared_ptr<const IndexFile>()> repair;
  std::unordered_map<uint32_t, std::unique_ptr<Package>> parsed;
  // Records added with add(), and their names and Provides.
  std::deque<Package> added;
  std::unordered_map<std::string, std::vector<uint32_t>> added_names, added_provides;
};

PackageIndex::PackageIndex() = default;
PackageIndex::~PackageIndex() = default;

PackageIndex::PackageIndex(PackageIndex&& o) noexcept
    : segments_(std::move(o.segments_)),
      by_name_(std::move(o.by_name_)),
      by_provides_(std::move(o.by_provides_)) {}

void PackageIndex::add_packages(std::string_view text, const PackageOrigin& origin,
                                const std::string& where) {
  add_file(IndexFile::from_bytes(IndexFile::build(text, where), where), origin);
}

void PackageIndex::add_file(std::shared_ptr<const IndexFile> file, const PackageOrigin& origin,
                            std::function<std::shared_ptr<const IndexFile>()> repair) {
  std::lock_guard<std::mutex> lock(mu_);
  auto s = std::make_unique<Segment>();
  s->file = std::move(file);
  s->origin = origin;
  s->repair = std::move(repair);
  segments_.push_back(std::move(s));
  by_name_.clear();
  by_provides_.clear();
}

const Package& PackageIndex::add(Package package) {
  std::vector<Relation> provides;
  if (!package.provides.empty())
    provides = parse_provides(package.provides, package.name + " Provides");
  std::lock_guard<std::mutex> lock(mu_);
  if (segments_.empty() || segments_.back()->file) segments_.push_back(std::make_unique<Segment>());
  Segment& s = *segments_.back();
  auto r = static_cast<uint32_t>(s.added.size());
  const Package& p = s.added.emplace_back(std::move(package));
  s.added_names[p.name].push_back(r);
  for (const auto& rel : provides) {
    auto& list = s.added_provides[rel.name];
    if (std::find(list.begin(), list.end(), r) == list.end()) list.push_back(r);
  }
  by_name_.clear();
  by_provides_.clear();
  return p;
}

const Package* PackageIndex::record(Segment& s, uint32_t r) const {
  if (!s.file) return &s.added[r];
  auto it = s.parsed.find(r);
  if (it != s.parsed.end()) return it->second.get();
  std::string text;
  try {
    text = s.file->paragraph(r);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kIntegrity || !s.repair) throw;
    log_warn(std::string(e.what()) + "; rebuilding it");
    s.file = s.repair();
    s.repair = nullptr;  // once: a second failure is thrown
    text = s.file->paragraph(r);
  }
  Deb822Parser parser(text, s.file->where());
  Deb822Paragraph para;
  if (!parser.next(para)) throw Error(ErrorKind::kIntegrity, s.file->where() + ": empty record");
  auto p = std::make_unique<Package>(parse_package(para, s.origin, s.file->where(), nullptr));
  return s.parsed.emplace(r, std::move(p)).first->second.get();
}

std::vector<const Package*> PackageIndex::merged(std::string_view name, bool provided) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto& memo = provided ? by_provides_ : by_name_;
  if (auto it = memo.find(std::string(name)); it != memo.end()) return it->second;
  std::vector<const Package*> out;
  for (const auto& s : segments_) {
    std::vector<uint32_t> rs;
    if (s->file) {
      rs = provided ? s->file->providing(name) : s->file->named(name);
    } else {
      auto& table = provided ? s->added_provides : s->added_names;
      if (auto it = table.find(std::string(name)); it != table.end()) rs = it->second;
    }
    for (uint32_t r : rs) out.push_back(record(*s, r));
  }
  if (provided) {
    std::stable_sort(out.begin(), out.end(), [](const Package* a, const Package* b) {
      if (a->name != b->name) return a->name < b->name;
      return higher(a, b);
    });
  } else {
    std::stable_sort(out.begin(), out.end(), higher);
  }
  return memo.emplace(std::string(name), out).first->second;
}

std::vector<const Package*> PackageIndex::versions(std::string_view name) const {
  return merged(name, false);
}

std::vector<const Package*> PackageIndex::providers(std::string_view virtual_name) const {
  return merged(virtual_name, true);
}

const Package* PackageIndex::candidate(std::string_view name) const {
  std::vector<const Package*> v = versions(name);
  return v.empty() ? nullptr : v.front();
}

size_t PackageIndex::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& s : segments_) n += s->file ? s->file->records() : s->added.size();
  return n;
}

size_t PackageIndex::parsed() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& s : segments_) n += s->file ? s->parsed.size() : s->added.size();
  return n;
}

}  // namespace distill::debian
