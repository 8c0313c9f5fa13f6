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
#include "image/layer_store.h"

namespace distill {

class DebFiles;

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
  // Whether an entry for `key` is there (not checked: find() checks).
  bool has(const std::string& key) const;
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

// What a layer is besides its blob (uncompressed size, entries, member
// paths), as JSON text a LayerStore keeps with the blob, and back: read
// into `out`; throws Error for text that is not such a record.
std::string layer_info_json(const BuiltLayer& layer);
void read_layer_info(const std::string& info, BuiltLayer& out);

// Wraps every job that has key_inputs so it takes its layer from a cache,
// nearest first: the local cache under `cache_dir`, then `remote.from` in
// order. Jobs with `run` are looked up now, before any .deb is fetched;
// then `debs` (when set) fetches, in one batch, the .debs of the jobs no
// cache has (LayerJob::debs), so a build whose layers are all found fetches
// and hashes none. Jobs that read the layers below (run_on_below) are
// looked up when they run. A remote hit is downloaded into the build's
// directory and kept in the local cache; a layer built here is stored in
// the local cache and in every `remote.to`; a job without key_inputs has
// its blob stored in `remote.to` (store_blob). A cache that fails costs a
// warning, never the build: the layer is built instead.
void use_layer_cache(std::vector<LayerJob>& jobs, const LayerBlobOptions& blob,
                     const std::string& cache_dir, const LayerStores& remote = {},
                     DebFiles* debs = nullptr);

struct LayerCacheCounts {
  uint64_t hits = 0;         // found in the local cache
  uint64_t remote_hits = 0;  // found in a LayerStore (downloaded)
  uint64_t misses = 0;       // built
};
// Lookups made by this process so far (for build -v and --json; a layer
// looked up before the build and found again when it runs counts once).
LayerCacheCounts layer_cache_counts();

}  // namespace distill
