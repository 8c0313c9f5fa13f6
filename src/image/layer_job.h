// One layer to produce: a name (for --explain and errors), what the layer
// is for the image config's history, and the work, which writes the blob
// into the directory it is given. Jobs are independent, so the builder may
// run them in parallel.
#pragma once

#include <functional>
#include <string>

#include "image/layer_blob.h"

namespace distill {

struct LayerJob {
  std::string name;
  // The history entry's created_by ("package libc6 2.36-9+deb12u10"), so
  // `docker history` and layer browsers say what each layer holds. Only
  // names and versions: the same inputs give the same config bytes.
  std::string description;
  std::function<BuiltLayer(const std::string& dir)> run;
};

}  // namespace distill
