#include "debian/package_index.h"

#include <algorithm>
#include <charconv>

#include "debian/deb822.h"
#include "debian/relation.h"
#include "debian/version.h"
#include "util/error.h"

namespace distill::debian {
namespace {

uint64_t parse_number(std::string_view text, const std::string& what) {
  uint64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    throw Error(what + ": expected a number, got '" + std::string(text) + "'");
  return n;
}

// Highest version first; among equal versions, the earlier-added first.
bool higher(const Package* a, const Package* b) {
  return compare_versions(a->version, b->version) > 0;
}

}  // namespace

void PackageIndex::add_packages(std::string_view text, const PackageOrigin& origin,
                                const std::string& where) {
  Deb822Parser parser(text, where);
  Deb822Paragraph para;
  while (parser.next(para)) {
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
    std::string_view source = para.get("Source");
    if (!source.empty()) {
      size_t paren = source.find('(');
      std::string_view name = source.substr(0, paren);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      p.source = std::string(name);
      if (paren != std::string_view::npos) {
        size_t close = source.find(')', paren);
        if (close == std::string_view::npos)
          throw Error(at("Source") + ": " + p.name + ": bad Source '" + std::string(source) + "'");
        std::string_view v = source.substr(paren + 1, close - paren - 1);
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
        check_version(v, at("Source") + ": " + p.name + " Source", /*strict=*/false);
        p.source_version = std::string(v);
      }
    }
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
    std::vector<Relation> provides;
    if (!p.provides.empty()) provides = parse_provides(p.provides, at("Provides") + ": " + p.name);
    insert(std::move(p), provides);
  }
}

const Package& PackageIndex::add(Package package) {
  std::vector<Relation> provides;
  if (!package.provides.empty())
    provides = parse_provides(package.provides, package.name + " Provides");
  return insert(std::move(package), provides);
}

const Package& PackageIndex::insert(Package package, const std::vector<Relation>& provides) {
  const Package* p = &packages_.emplace_back(std::move(package));
  auto& versions = by_name_[p->name];
  versions.insert(std::upper_bound(versions.begin(), versions.end(), p, higher), p);
  for (const auto& r : provides) {
    auto& list = by_provides_[r.name];
    if (std::find(list.begin(), list.end(), p) != list.end()) continue;  // provided twice
    auto pos =
        std::upper_bound(list.begin(), list.end(), p, [](const Package* a, const Package* b) {
          if (a->name != b->name) return a->name < b->name;
          return higher(a, b);
        });
    list.insert(pos, p);
  }
  return *p;
}

std::vector<const Package*> PackageIndex::versions(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? std::vector<const Package*>{} : it->second;
}

std::vector<const Package*> PackageIndex::providers(std::string_view virtual_name) const {
  auto it = by_provides_.find(std::string(virtual_name));
  return it == by_provides_.end() ? std::vector<const Package*>{} : it->second;
}

const Package* PackageIndex::candidate(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() || it->second.empty() ? nullptr : it->second.front();
}

}  // namespace distill::debian
