// The settings a build takes besides the definition, by concern: where
// Debian packages come from (SourceOptions) and how layers are written
// (LayerOptions). Output settings belong to the sinks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archive/size_limits.h"
#include "image/layer_blob.h"

namespace distill {

enum class Network { kOnline, kOffline };  // kOffline: the cache only, fail on a miss
// kSkip: do not verify repository signatures (local test repositories only).
enum class Signatures { kVerify, kSkip };

// Debian archive access for packages: and the lockfile.
struct SourceOptions {
  std::string lock_file;            // install exactly what it pins ("" = resolve)
  std::string cache_dir;            // "" = $XDG_CACHE_HOME/distill
  std::string mirror;               // main archive (--mirror), over the definition's mirror:
  std::string security_mirror;      // security archive (--security-mirror), over security-mirror:
  std::string snapshot;             // --snapshot TIMESTAMP, over snapshot:
  std::string snapshot_uri;         // --snapshot-uri ("" = $DISTILL_SNAPSHOT_URI)
  std::vector<std::string> suites;  // --suites: read only these, over suites:
  Network network = Network::kOnline;
  Signatures signatures = Signatures::kVerify;
  long timeout_seconds = 0;  // connect and stall limit per transfer; 0 = the client's default
  // Resolve against cached InRelease files while they are revalidated
  // (debian::ArchiveOptions::speculate_releases); only build() sets it, as it
  // builds again when a Release changed.
  bool speculate_releases = false;
};

struct LayerOptions {
  LayerBlobOptions blob;  // compression
  int64_t mtime = 0;      // SOURCE_DATE_EPOCH for generated entries and status.d records
  SizeLimits limits;      // per-file and per-layer caps on package data
};

}  // namespace distill
