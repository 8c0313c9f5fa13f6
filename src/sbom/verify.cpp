#include "sbom/verify.h"

#include <algorithm>
#include <map>
#include <set>

#include "util/error.h"

namespace distill::sbom {

namespace {

struct Listed {
  std::string md5;
  std::string path;  // as the record writes it, relative
};

bool is_md5(std::string_view s) {
  return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// "<32 hex>  path" per line; a path may contain spaces.
std::vector<Listed> parse_md5sums(const std::string& text, const std::string& where) {
  std::vector<Listed> out;
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (line.empty()) continue;
    if (line.size() < 35 || !is_md5(line.substr(0, 32)) || line.substr(32, 2) != "  ") {
      throw Error(where + ":" + std::to_string(line_no) +
                  ": not an md5sums line (expected 32 hex digits, two spaces, a path)");
    }
    std::string path(line.substr(34));
    while (!path.empty() && path.front() == '/') path.erase(0, 1);
    if (path.rfind("./", 0) == 0) path.erase(0, 2);
    out.push_back({std::string(line.substr(0, 32)), path});
  }
  return out;
}

std::string parent(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

// The merged-tree entry a listed path names: itself, or (merged /usr,
// /lib -> usr/lib) what it resolves to with its directories' symlinks followed.
const inspect::FileInfo* lookup(const inspect::MergedFs& fs, const std::string& path,
                                std::string* real) {
  if (const inspect::FileInfo* f = fs.find(path)) {
    *real = path;
    return f;
  }
  auto dir = fs.resolve(parent(path));
  if (!dir) return nullptr;
  *real = (dir->empty() ? "" : *dir + "/") + path.substr(path.rfind('/') + 1);
  return fs.find(*real);
}

}  // namespace

const char* kind_name(Finding::Kind k) {
  switch (k) {
    case Finding::Kind::kModified:
      return "modified";
    case Finding::Kind::kMissing:
      return "missing";
    case Finding::Kind::kUnowned:
      return "unowned";
  }
  return "?";
}

std::string finding_line(const Finding& f) {
  std::string out = std::string(kind_name(f.kind)) + " " + f.path + " (";
  out += f.kind == Finding::Kind::kUnowned ? "directory of package " : "package ";
  out += f.package;
  if (!f.detail.empty()) out += ", " + f.detail;
  return out + ")";
}

VerifyReport verify_files(const inspect::MergedFs& fs, const PackageDb& db,
                          const std::set<std::string>& removed) {
  VerifyReport r;
  std::set<std::string> owned;              // real paths some record lists
  std::map<std::string, std::string> dirs;  // real directory -> first package listing a file there
  std::map<std::string, size_t> never;      // package -> listed files no layer held
  for (const auto& pkg : db.packages) {
    if (pkg.md5sums.empty()) {
      r.unverified.push_back(pkg.name);
      continue;
    }
    const std::string* text = fs.content(pkg.md5sums.substr(1));
    if (!text) throw Error(pkg.md5sums + " is too large to read");
    ++r.packages;
    for (const auto& l : parse_md5sums(*text, pkg.md5sums)) {
      ++r.files;
      std::string real;
      const inspect::FileInfo* f = lookup(fs, l.path, &real);
      std::string shown = "/" + l.path;
      if (!f) {
        if (removed.count(l.path) || removed.count(real)) {
          r.findings.push_back({Finding::Kind::kMissing, shown, pkg.name, ""});
        } else {
          ++never[pkg.name];
        }
        continue;
      }
      owned.insert(real);
      dirs.emplace(parent(real), pkg.name);
      bool regular = f->type == TarEntry::Type::kFile || f->type == TarEntry::Type::kHardlink;
      if (!regular) {
        r.findings.push_back({Finding::Kind::kModified, shown, pkg.name,
                              std::string("now a ") + type_name(f->type)});
      } else if (f->digest != l.md5) {
        bool identity = real == "usr/lib/os-release" || real == "etc/os-release";
        (identity ? r.customized : r.findings)
            .push_back({Finding::Kind::kModified, shown, pkg.name, ""});
      }
    }
  }
  for (const auto& [path, f] : fs.files()) {
    if (f.type != TarEntry::Type::kFile && f.type != TarEntry::Type::kHardlink) continue;
    if (owned.count(path)) continue;
    auto d = dirs.find(parent(path));
    if (d == dirs.end()) continue;
    r.findings.push_back({Finding::Kind::kUnowned, "/" + path, d->second, ""});
  }
  r.not_installed.assign(never.begin(), never.end());
  std::sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    return a.path != b.path ? a.path < b.path : a.kind < b.kind;
  });
  r.findings.erase(std::unique(r.findings.begin(), r.findings.end(),
                               [](const Finding& a, const Finding& b) {
                                 return a.path == b.path && a.kind == b.kind;
                               }),
                   r.findings.end());
  return r;
}

}  // namespace distill::sbom
