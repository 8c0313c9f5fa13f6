// One layer to produce: a name (for --explain and errors), what the layer
// is for the image config's history, and the work, which writes the blob
// into the directory it is given. Most jobs are independent, so the builder
// may run them in parallel; a job that reads the layers below it (the
// ld.so.cache, made from the image's libraries) sets run_on_below instead
// and runs after all of them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "image/layer_blob.h"

namespace distill {

// One --explain entry: what is in the image for `arch` ("package hello
// 1.0-1 (stable)", "file /etc/group") and why, naming the definition's
// file:line that asked for it (through from: chains) where there is one.
struct Explained {
  std::string arch;
  std::string item;
  std::string reason;
  std::string line() const { return arch + ": " + item + ": " + reason; }
};

struct LayerJob {
  std::string name;
  // The history entry's created_by ("package libc6 2.36-9+deb12u10"), so
  // `docker history` and layer browsers say what each layer holds. Only
  // names and versions: the same inputs give the same config bytes.
  std::string description;
  std::function<BuiltLayer(const std::string& dir)> run;
  // Set instead of `run`: gets the finished layers before this one, in
  // image order.
  std::function<BuiltLayer(const std::string& dir, const std::vector<BuiltLayer>& below)>
      run_on_below = {};
  // What determines the layer's bytes besides the blob options, as
  // canonical JSON text (the .deb's SHA-256 from the signed index, the
  // part's paths, modes and mtimes...): the layer cache's key is made from
  // it (image/layer_cache.h). "" = not cached (cheap layers made from the
  // definition alone).
  std::string key_inputs = {};
  // The selected packages whose .debs `run` reads (image/selection.h
  // DebFiles): fetched in one batch, before the jobs run, for the jobs no
  // layer cache has.
  std::vector<std::string> debs = {};
  // A guess at the work `run` does, in bytes: the size of the .debs it
  // reads (plan_layer_jobs sets it from `debs`). run_layer_jobs starts the
  // costliest first, so the biggest layer does not begin last with one core
  // left idle at its end; the output does not depend on it.
  uint64_t cost = 0;
};

}  // namespace distill
