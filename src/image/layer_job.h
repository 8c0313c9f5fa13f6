// One layer to produce: a name (for --explain and errors) and the work,
// which writes the blob into the directory it is given. Most jobs are
// independent, so the builder may run them in parallel; a job that reads
// the layers below it (the ld.so.cache, made from the image's libraries)
// sets run_on_below instead and runs after all of them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "image/layer_blob.h"

namespace distill {

struct LayerJob {
  std::string name;
  std::function<BuiltLayer(const std::string& dir)> run;
  // Set instead of `run`: gets the finished layers before this one, in
  // image order.
  std::function<BuiltLayer(const std::string& dir, const std::vector<BuiltLayer>& below)>
      run_on_below = {};
};

}  // namespace distill
