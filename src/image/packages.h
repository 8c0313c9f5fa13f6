// Plans the layers of one image: one per Debian package (its data.tar plus
// status.d records), then one for everything distill generates.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "image/builder.h"
#include "image/layer_plan.h"

namespace distill {

class PackagePlanner {
 public:
  PackagePlanner(const Definition& def, const BuildOptions& opts);
  ~PackagePlanner();
  std::vector<LayerJob> layer_jobs(const std::string& arch, std::vector<std::string>* explain);
  std::vector<LayerJob> generated_jobs(const std::string& arch, const LayerPlan& plan,
                                       const BuildOptions& opts);

 private:
  const Definition& def_;
  const BuildOptions& opts_;
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace distill
