// Installed packages from the dpkg database: distroless images keep one
// file per package in /var/lib/dpkg/status.d/, ordinary systems one
// /var/lib/dpkg/status. Licenses come from /usr/share/doc/PKG/copyright.
#include <algorithm>
#include <string>

#include "debian/deb822.h"
#include "inspect/facts.h"
#include "inspect/license.h"
#include "util/error.h"

namespace distill::inspect {

namespace {

bool installed(std::string_view status) {
  if (status.empty()) return true;  // status.d entries often omit Status
  size_t sp = status.rfind(' ');
  std::string_view state = sp == std::string_view::npos ? status : status.substr(sp + 1);
  return state == "installed";
}

void add_paragraphs(const MergedFs& fs, const std::string& text, const std::string& where,
                    const std::string& source, nlohmann::json& list, nlohmann::json& problems) {
  try {
    for (const auto& p : debian::parse_deb822(text, where)) {
      std::string name(p.get("Package"));
      if (name.empty() || !installed(p.get("Status"))) continue;
      nlohmann::json j;
      j["name"] = name;
      j["version"] = std::string(p.get("Version"));
      j["architecture"] = std::string(p.get("Architecture"));
      std::string isize(p.get("Installed-Size"));
      uint64_t kib = 0;
      if (!isize.empty() && isize.find_first_not_of("0123456789") == std::string::npos &&
          isize.size() < 15) {
        kib = std::stoull(isize);
      }
      j["installed_size"] = kib * 1024;
      std::string src(p.get("Source"));
      if (size_t sp = src.find(' '); sp != std::string::npos) src.resize(sp);
      j["source_package"] = src.empty() ? name : src;
      j["status_file"] = where;
      j["database"] = source;
      const std::string* lic = fs.content("usr/share/doc/" + name + "/copyright");
      if (lic) {
        j["licenses"] = split_licenses(*lic);
      } else {
        j["licenses"] = nullptr;
      }
      list.push_back(j);
    }
  } catch (const Error& e) {
    problems.push_back(e.what());
  }
}

}  // namespace

nlohmann::json package_facts(const MergedFs& fs) {
  nlohmann::json list = nlohmann::json::array();
  nlohmann::json problems = nlohmann::json::array();
  fs.for_each_below("var/lib/dpkg/status.d", [&](const FileInfo& f) {
    if (f.type != TarEntry::Type::kFile) return;
    if (f.path.find('/', 22) != std::string::npos) return;
    if (f.path.size() > 8 && f.path.compare(f.path.size() - 8, 8, ".md5sums") == 0) return;
    const std::string* text = fs.content(f.path);
    if (!text) {
      problems.push_back("/" + f.path + " is too large to read");
      return;
    }
    add_paragraphs(fs, *text, "/" + f.path, "status.d", list, problems);
  });
  if (const std::string* status = fs.content("var/lib/dpkg/status")) {
    add_paragraphs(fs, *status, "/var/lib/dpkg/status", "status", list, problems);
  }
  std::stable_sort(list.begin(), list.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a["name"].get<std::string>() < b["name"].get<std::string>();
  });
  return {{"packages", list}, {"problems", problems}};
}

}  // namespace distill::inspect
