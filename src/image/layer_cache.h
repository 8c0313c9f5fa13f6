// The layer cache: finished layer blobs kept by a key made of what
// determines their bytes, so a rebuild (of the same image, another variant
// or another image holding the same package) takes a layer from the cache
// without decoding a .deb or hashing a byte. Shared by concurrent builds:
//   DIR/layers/<key>.blob   the compressed blob (hard-linked into builds)
//   DIR/layers/<key>.json   its descriptor, diff_id, sizes, member paths,
//                           the blob's inode/size/mtime, and the SHA-256 of
//                           all that (an entry whose metadata or blob does not
//                           match is removed and built again)
//   DIR/locks/              one flock per key while an entry is written or
//                           removed; both files are renamed into place
// The .json's mtime is the entry's last use (`distill cache prune`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archive/compress.h"
#include "image/layer_blob.h"
#include "image/layer_job.h"

namespace distill {

// Bumped whenever a layer writer changes the bytes it writes for the same
// inputs (tar normalisation, status.d records, member order...), so older
// entries are no longer found.
inline constexpr int kLayerRecipeVersion = 1;

// The layer's cache key: the lowercase hex SHA-256 (64 characters) of a
// canonical JSON document holding kLayerRecipeVersion, job.key_inputs (what
// the part says determines the layer: the .deb's SHA-256 from the signed
// index, paths, modes, mtimes...), the compressor identity, merged_usr, and
// for a job that reads the layers below it (run_on_below) their diff_ids in
// order. Equal keys mean equal blob bytes on any machine with the same
// compressor identity; other builders (a registry cache) may store and look
// up layers by it. Returns "" for a job that is not cacheable (no
// key_inputs).
std::string layer_cache_key(const LayerJob& job, const LayerBlobOptions& blob,
                            const std::vector<BuiltLayer>& below = {});

class LayerCache {
 public:
  // The cache under `cache_dir` (the download cache's directory).
  explicit LayerCache(const std::string& cache_dir);

  // The layer stored under `key`, its blob hard-linked (or copied, across
  // filesystems) into `dir` as write_layer_blob names it. Null when absent;
  // an entry that fails its checks is removed (logged) and null returned.
  std::optional<BuiltLayer> find(const std::string& key, const std::string& dir);
  // Stores `layer` (a blob this process wrote) under `key`. Failures are
  // logged, never thrown: a cache that cannot be written costs speed only.
  void store(const std::string& key, const BuiltLayer& layer);

  struct Usage {
    uint64_t entries = 0, bytes = 0;
  };
  Usage usage() const;
  const std::string& dir() const { return dir_; }

 private:
  void remove(const std::string& key, const std::string& why);
  std::string cache_dir_, dir_;
};

// Wraps every job that has key_inputs so it is first looked up in `cache`
// and stored there when built. Counters below count the lookups.
void use_layer_cache(std::vector<LayerJob>& jobs, const LayerBlobOptions& blob,
                     const std::string& cache_dir);

struct LayerCacheCounts {
  uint64_t hits = 0, misses = 0;
};
// Lookups made by this process so far (for build -v and --json).
LayerCacheCounts layer_cache_counts();

}  // namespace distill
