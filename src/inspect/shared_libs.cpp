// Shared libraries and the C library: what a dynamically linked program
// will find at run time.
#include <set>
#include <string>

#include "inspect/facts.h"

namespace distill::inspect {

namespace {

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool library_name(const std::string& base) {
  size_t so = base.find(".so");
  if (so == std::string::npos) return false;
  return so + 3 == base.size() || base[so + 3] == '.';
}

}  // namespace

nlohmann::json shared_library_facts(const MergedFs& fs, const nlohmann::json& packages) {
  nlohmann::json j;
  uint64_t count = 0, bytes = 0;
  std::set<std::string> loaders;
  std::string glibc, glibc_from;
  for (const auto& [path, f] : fs.files()) {
    if (f.type != TarEntry::Type::kFile) continue;
    std::string base = base_name(path);
    if (f.elf && library_name(base)) {
      ++count;
      bytes += f.size;
    }
    if (base.rfind("ld-linux", 0) == 0 || base.rfind("ld64.so", 0) == 0 ||
        base.rfind("ld-musl", 0) == 0) {
      loaders.insert("/" + path);
    }
    if (glibc.empty() &&
        (base == "libc.so.6" || (base.rfind("libc-", 0) == 0 && library_name(base)))) {
      const std::string* v = fs.content(path);
      if (v && !v->empty()) {
        glibc = *v;
        glibc_from = "/" + path;
      } else if (base.rfind("libc-", 0) == 0) {
        // glibc before 2.34 named the file after its version: libc-2.31.so.
        glibc = base.substr(5, base.size() - 8);
        glibc_from = "/" + path;
      }
    }
  }
  if (glibc.empty()) {
    for (const auto& p : packages) {
      if (p["name"] == "libc6") {
        std::string v = p["version"].get<std::string>();
        if (size_t colon = v.find(':'); colon != std::string::npos) v = v.substr(colon + 1);
        glibc = v.substr(0, v.find('-'));
        glibc_from = "package libc6";
      }
    }
  }
  j["count"] = count;
  j["bytes"] = bytes;
  j["loaders"] = loaders;
  j["glibc_version"] = glibc.empty() ? nlohmann::json(nullptr) : nlohmann::json(glibc);
  j["glibc_source"] = glibc_from.empty() ? nlohmann::json(nullptr) : nlohmann::json(glibc_from);
  return j;
}

}  // namespace distill::inspect
