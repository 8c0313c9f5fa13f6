// Tag variants: NAME:VARIANT builds NAME with the changes its variants:
// entry declares (images/common/family.yaml has the family's: nonroot runs
// as 65532 in /home/nonroot; debug adds busybox, the definition's debug:
// packages and a shell entrypoint unless the image has its own;
// debug-nonroot is both). Layers are shared: nonroot only changes the
// config, debug only adds layers.
#pragma once

#include <string>

#include "image/definition.h"

namespace distill {

struct VariantName {
  std::string base;     // "static"
  std::string variant;  // "" or what follows the last ':' ("nonroot", "app")
};

// Splits "static:nonroot". A path that exists, or a suffix that is empty or
// holds a '/', is returned whole with an empty variant. Whether the variant
// exists is only known once the definition is loaded (apply_variant).
VariantName split_variant(const std::string& text);

// Applies `variant` ("" = none) as `def` declares it: its include: list
// first, then its own fields; the image name gains ":variant" (not for
// latest). An undeclared variant is an error listing the declared ones.
void apply_variant(Definition& def, const std::string& variant);

}  // namespace distill
