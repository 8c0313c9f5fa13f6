// Copies named paths out of an image without unpacking the rest: the
// metadata pass finds which layer holds the visible version of each path
// (whiteouts applied), then only those layers are streamed again and only
// the wanted members written. Writing goes through SafeOutputDir, so nothing
// lands outside the output directory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archive/size_limits.h"
#include "oci/image.h"

namespace distill::inspect {

struct ExtractResult {
  uint64_t files = 0;
  uint64_t directories = 0;
  uint64_t symlinks = 0;
  uint64_t bytes = 0;
  std::vector<std::string> skipped;  // devices and fifos, which need privileges
};

// `paths` are image paths ("/etc/passwd", "usr/share/doc"); a directory
// brings everything below it. Each lands at the same relative path in
// `out_dir`. Symlinks are written as symlinks, never followed.
// The size caps are checked by the metadata pass, before anything is
// written. On an error nothing of this run is left in `out_dir` (what was
// there before stays), and `out_dir` itself is gone if this run created it.
ExtractResult extract_paths(const oci::Image& image, const std::vector<std::string>& paths,
                            const std::string& out_dir, const SizeLimits& limits = {});

}  // namespace distill::inspect
