// Where the bytes are: largest files, largest directories (each counting
// everything below it), and totals by file type.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "inspect/facts.h"

namespace distill::inspect {

nlohmann::json largest_facts(const MergedFs& fs, size_t limit) {
  std::vector<const FileInfo*> files;
  struct Dir {
    uint64_t bytes = 0;
    uint64_t files = 0;
  };
  std::map<std::string, Dir> dirs;
  for (const auto& [path, f] : fs.files()) {
    if (f.type != TarEntry::Type::kFile) continue;
    files.push_back(&f);
    size_t slash = path.rfind('/');
    while (slash != std::string::npos) {
      Dir& d = dirs[path.substr(0, slash)];
      d.bytes += f.size;
      ++d.files;
      slash = slash == 0 ? std::string::npos : path.rfind('/', slash - 1);
    }
  }
  size_t n = std::min(limit, files.size());
  std::partial_sort(files.begin(), files.begin() + static_cast<long>(n), files.end(),
                    [](const FileInfo* a, const FileInfo* b) {
                      return a->size != b->size ? a->size > b->size : a->path < b->path;
                    });
  nlohmann::json out;
  out["files"] = nlohmann::json::array();
  for (size_t i = 0; i < n; ++i) {
    out["files"].push_back(
        {{"path", "/" + files[i]->path}, {"size", files[i]->size}, {"layer", files[i]->layer}});
  }
  std::vector<std::pair<std::string, Dir>> dv(dirs.begin(), dirs.end());
  std::sort(dv.begin(), dv.end(), [](const auto& a, const auto& b) {
    return a.second.bytes != b.second.bytes ? a.second.bytes > b.second.bytes : a.first < b.first;
  });
  if (dv.size() > limit) dv.resize(limit);
  out["directories"] = nlohmann::json::array();
  for (const auto& [path, d] : dv) {
    out["directories"].push_back({{"path", "/" + path}, {"size", d.bytes}, {"files", d.files}});
  }
  return out;
}

nlohmann::json file_count_facts(const MergedFs& fs) {
  std::map<std::string, uint64_t> by_type;
  uint64_t bytes = 0, total = 0, setuid = 0, world_writable = 0;
  for (const auto& [path, f] : fs.files()) {
    if (path.empty()) continue;
    ++total;
    by_type[type_name(f.type)]++;
    if (f.type == TarEntry::Type::kFile) bytes += f.size;
    if (f.type == TarEntry::Type::kFile && (f.mode & 06000)) ++setuid;
    if (f.type != TarEntry::Type::kSymlink && (f.mode & 02) &&
        !(f.type == TarEntry::Type::kDirectory && (f.mode & 01000)))
      ++world_writable;
  }
  return {{"total", total},
          {"bytes", bytes},
          {"by_type", by_type},
          {"setuid_or_setgid", setuid},
          {"world_writable", world_writable}};
}

}  // namespace distill::inspect
