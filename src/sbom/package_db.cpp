#include "sbom/package_db.h"

#include <algorithm>
#include <set>

#include "debian/deb822.h"
#include "util/error.h"

namespace distill::sbom {

namespace {

bool installed(std::string_view status) {
  if (status.empty()) return true;
  size_t sp = status.rfind(' ');
  return (sp == std::string_view::npos ? status : status.substr(sp + 1)) == "installed";
}

bool ends_with(const std::string& s, std::string_view p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

InstalledPackage from_paragraph(const debian::Deb822Paragraph& p, const std::string& where) {
  InstalledPackage pkg;
  pkg.name = std::string(p.get("Package"));
  pkg.version = std::string(p.get("Version"));
  pkg.architecture = std::string(p.get("Architecture"));
  if (pkg.version.empty() || pkg.architecture.empty()) {
    throw Error(where + ":" + std::to_string(p.line()) + ": package " + pkg.name +
                " has no Version or Architecture field");
  }
  // "Source: glibc (2.36-9)" names the source version when it differs.
  std::string src = debian::deb822_folded(p.get("Source"));
  size_t paren = src.find(" (");
  if (paren != std::string::npos && src.back() == ')') {
    pkg.source_version = src.substr(paren + 2, src.size() - paren - 3);
    src.resize(paren);
  }
  pkg.source = src.empty() ? pkg.name : src;
  if (pkg.source_version.empty()) pkg.source_version = pkg.version;
  pkg.maintainer = debian::deb822_folded(p.get("Maintainer"));
  pkg.homepage = std::string(p.get("Homepage"));
  pkg.multi_arch = std::string(p.get("Multi-Arch"));
  pkg.depends = debian::deb822_folded(p.get("Depends"));
  pkg.pre_depends = debian::deb822_folded(p.get("Pre-Depends"));
  pkg.provides = debian::deb822_folded(p.get("Provides"));
  pkg.record = where;
  return pkg;
}

void add_records(const std::string& text, const std::string& where, PackageDb& db) {
  try {
    for (const auto& p : debian::parse_deb822(text, where)) {
      if (p.get("Package").empty() || !installed(p.get("Status"))) continue;
      db.packages.push_back(from_paragraph(p, where));
    }
  } catch (const Error& e) {
    db.problems.push_back(e.what());
  }
}

// status.d/NAME.md5sums beside a distroless record, else dpkg's info/ files.
std::string md5sums_path(const inspect::MergedFs& fs, const InstalledPackage& pkg) {
  std::vector<std::string> candidates;
  if (pkg.record.rfind("/var/lib/dpkg/status.d/", 0) == 0)
    candidates.push_back(pkg.record.substr(1) + ".md5sums");
  candidates.push_back("var/lib/dpkg/info/" + pkg.name + ":" + pkg.architecture + ".md5sums");
  candidates.push_back("var/lib/dpkg/info/" + pkg.name + ".md5sums");
  for (const auto& c : candidates) {
    if (fs.content(c)) return "/" + c;
  }
  return "";
}

}  // namespace

PackageDb read_packages(const inspect::MergedFs& fs) {
  PackageDb db;
  fs.for_each_below("var/lib/dpkg/status.d", [&](const inspect::FileInfo& f) {
    if (f.type != TarEntry::Type::kFile || f.path.find('/', 22) != std::string::npos) return;
    if (ends_with(f.path, ".md5sums")) return;
    const std::string* text = fs.content(f.path);
    if (!text) {
      db.problems.push_back("/" + f.path + " is too large to read");
      return;
    }
    add_records(*text, "/" + f.path, db);
  });
  if (const std::string* status = fs.content("var/lib/dpkg/status"))
    add_records(*status, "/var/lib/dpkg/status", db);
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<InstalledPackage> unique;
  for (auto& p : db.packages) {
    if (!seen.emplace(p.name, p.architecture).second) continue;
    p.md5sums = md5sums_path(fs, p);
    unique.push_back(std::move(p));
  }
  std::stable_sort(unique.begin(), unique.end(), [](const auto& a, const auto& b) {
    return a.name != b.name ? a.name < b.name : a.architecture < b.architecture;
  });
  db.packages = std::move(unique);
  return db;
}

}  // namespace distill::sbom
