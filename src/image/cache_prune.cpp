#include "image/cache_prune.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "debian/cache.h"
#include "util/fs.h"
#include "util/handles.h"

namespace distill {

namespace {

struct PruneItem {
  size_t kind;                     // index into the usage vector
  std::vector<std::string> files;  // removed together
  std::string lock;                // the lock file its writers hold
  uint64_t bytes = 0;
  int64_t last_use = 0;  // ns
};

int64_t prune_mtime(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// Entries of `dir` whose names end with `suffix` (hidden temporaries skipped).
std::vector<std::string> prune_names(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  DirPtr d = open_dir(dir);
  if (!d) return out;
  while (dirent* e = ::readdir(d.get())) {
    std::string n = e->d_name;
    if (!n.starts_with(".") && n.ends_with(suffix)) out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<PruneItem> prune_items(const std::string& root) {
  std::vector<PruneItem> items;
  auto add = [&](size_t kind, std::vector<std::string> files, std::string lock) {
    PruneItem it{kind, std::move(files), std::move(lock)};
    for (const auto& f : it.files) {
      struct stat st;
      if (::stat(f.c_str(), &st) != 0) continue;
      it.bytes += static_cast<uint64_t>(st.st_size);
      if (f == it.files.front()) it.last_use = prune_mtime(st);
    }
    items.push_back(std::move(it));
  };
  std::string blobs = join_path(root, "blobs/sha256");
  for (const auto& n : prune_names(blobs, "")) add(0, {join_path(blobs, n)}, "blob:" + n);
  std::string indices = join_path(root, "indices");
  for (const auto& n : prune_names(indices, ".idx1")) add(1, {join_path(indices, n)}, "");
  std::string layers = join_path(root, "layers");
  for (const auto& n : prune_names(layers, ".json")) {
    std::string key = n.substr(0, n.size() - 5);
    add(2, {join_path(layers, n), join_path(layers, key + ".blob")},
        join_path(root, "locks/layer-" + key + ".lock"));
  }
  for (const auto& n : prune_names(layers, ".blob")) {  // a blob whose metadata never came
    std::string key = n.substr(0, n.size() - 5);
    if (!path_exists(join_path(layers, key + ".json")))
      add(2, {join_path(layers, n)}, join_path(root, "locks/layer-" + key + ".lock"));
  }
  return items;
}

std::vector<CacheKindUsage> prune_kinds() {
  return {{"downloads", 0, 0}, {"indices", 0, 0}, {"layers", 0, 0}};
}

}  // namespace

std::vector<CacheKindUsage> cache_usage(const std::string& cache_dir) {
  debian::Cache cache(cache_dir);
  std::vector<CacheKindUsage> out = prune_kinds();
  for (const auto& it : prune_items(cache.dir())) {
    out[it.kind].entries += 1;
    out[it.kind].bytes += it.bytes;
  }
  return out;
}

std::vector<CacheKindUsage> prune_cache(const std::string& cache_dir, uint64_t max_bytes) {
  debian::Cache cache(cache_dir);
  std::vector<PruneItem> items = prune_items(cache.dir());
  uint64_t total = 0;
  for (const auto& it : items) total += it.bytes;
  std::stable_sort(items.begin(), items.end(),
                   [](const PruneItem& a, const PruneItem& b) { return a.last_use < b.last_use; });
  std::vector<CacheKindUsage> removed = prune_kinds();
  for (const auto& it : items) {
    if (total <= max_bytes) break;
    {
      // Downloads lock through the cache's own naming; layers by file.
      std::optional<debian::Cache::Lock> lock;
      if (it.kind == 0) lock.emplace(cache.lock(it.lock));
      if (it.kind == 2) lock.emplace(debian::Cache::Lock(it.lock));
      for (const auto& f : it.files) ::unlink(f.c_str());
    }
    total -= it.bytes;
    removed[it.kind].entries += 1;
    removed[it.kind].bytes += it.bytes;
  }
  return removed;
}

}  // namespace distill
