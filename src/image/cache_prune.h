// What the cache directory holds and how to bound it: downloads (.debs and
// Packages files, DIR/blobs), indices in their compact form (DIR/indices)
// and layers (DIR/layers, image/layer_cache.h). Each entry's mtime is its
// last use (builds touch what they read), so pruning removes the least
// recently used first, whatever its kind.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace distill {

struct CacheKindUsage {
  std::string kind;  // "downloads", "indices", "layers"
  uint64_t entries = 0, bytes = 0;
};

// The three kinds, in that order, under `cache_dir` ("" = the default).
std::vector<CacheKindUsage> cache_usage(const std::string& cache_dir);

// Removes the least recently used entries until the three kinds together
// hold at most `max_bytes`; returns what was removed, by kind. Each entry is
// removed under the lock its writers take, so a build that is storing it
// finishes first; a running build may still fail to open a .deb removed
// after it was fetched.
std::vector<CacheKindUsage> prune_cache(const std::string& cache_dir, uint64_t max_bytes);

}  // namespace distill
