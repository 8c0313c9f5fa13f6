// `verify --rebuild`: where an image and its rebuild first differ. Layers
// are compared in order by diff_id; in the first that differs, the tar
// members are compared in order (path, type, mode, owner, mtime, link, size
// and content), which is where a reproducible build that is not finds its
// first wrong byte.
#pragma once

#include <string>

#include "archive/size_limits.h"
#include "oci/image.h"

namespace distill::sbom {

struct RebuildDiff {
  bool identical = false;  // same manifest digest
  // The first differing layer (0-based), or -1 when the layers all agree
  // (then the config or the manifest differs).
  int layer = -1;
  std::string layer_digest;    // of the image's layer ("" when the image has fewer layers)
  std::string rebuilt_digest;  // of the rebuild's layer ("" when it has fewer)
  std::string path;            // the first differing member, "/"-rooted; "" when none
  std::string detail;          // what differs about it: "content", "mode 0644 != 0755"...
  std::string what;            // one line for the user when layer == -1
};

// Compares `image` with `rebuilt`; reads at most the first differing layer
// of each.
RebuildDiff compare_rebuild(const oci::Image& image, const oci::Image& rebuilt,
                            const SizeLimits& limits);

}  // namespace distill::sbom
