// One layer to produce: a name (for --explain and errors) and the work,
// which writes the blob into the directory it is given. Jobs are
// independent, so the builder may run them in parallel.
#pragma once

#include <functional>
#include <string>

#include "image/layer_blob.h"

namespace distill {

struct LayerJob {
  std::string name;
  std::function<BuiltLayer(const std::string& dir)> run;
};

}  // namespace distill
