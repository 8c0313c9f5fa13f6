// The family's tag variants, as the reference publishes them: NAME:nonroot
// runs as 65532 in /home/nonroot; NAME:debug adds busybox (and the
// definition's debug: packages) with a shell entrypoint unless the image
// has its own; NAME:debug-nonroot is both. Layers are shared: nonroot only
// changes the config, debug only adds layers.
#pragma once

#include <string>

#include "image/definition.h"

namespace distill {

struct VariantName {
  std::string base;     // "static"
  std::string variant;  // "", "latest", "nonroot", "debug", "debug-nonroot"
};

// Splits "static:nonroot". A path that exists, or a suffix that is not a
// known variant, is returned whole with an empty variant.
VariantName split_variant(const std::string& text);

void apply_variant(Definition& def, const std::string& variant);

}  // namespace distill
