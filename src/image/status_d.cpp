#include "image/status_d.h"

#include <set>

namespace distill {

namespace {
constexpr const char* kStatusDir = "var/lib/dpkg/status.d";
constexpr uint32_t kStatusMode = 0644;
}  // namespace

std::vector<StatusFile> status_files(const std::string& package, const std::string& control,
                                     const std::string& md5sums) {
  std::string base = std::string(kStatusDir) + "/" + package;
  std::vector<StatusFile> out{{base, control}};
  if (!md5sums.empty()) out.push_back({base + ".md5sums", md5sums});
  return out;
}

void add_status_files(LayerPlan& plan, const std::string& package, const std::string& control,
                      const std::string& md5sums, const std::string& where) {
  for (auto& f : status_files(package, control, md5sums)) {
    plan.add_file("/" + f.path, std::move(f.data), kStatusMode, 0, 0, where);
  }
}

void write_status_files(TarWriter& tar, const std::string& package, const std::string& control,
                        const std::string& md5sums, int64_t mtime,
                        const std::vector<std::string>& seen_dirs) {
  std::set<std::string> seen(seen_dirs.begin(), seen_dirs.end());
  TarEntry dir;
  dir.type = TarEntry::Type::kDirectory;
  dir.mode = 0755;
  dir.uname = dir.gname = "root";
  dir.mtime = mtime;
  std::string parent = kStatusDir;
  for (size_t slash = parent.find('/');; slash = parent.find('/', slash + 1)) {
    dir.path = parent.substr(0, slash);
    if (!seen.count(dir.path)) tar.add(dir);
    if (slash == std::string::npos) break;
  }
  TarEntry f;
  f.type = TarEntry::Type::kFile;
  f.mode = kStatusMode;
  f.uname = f.gname = "root";
  f.mtime = mtime;
  for (const auto& s : status_files(package, control, md5sums)) {
    f.path = s.path;
    tar.add(f, s.data);
  }
}

}  // namespace distill
