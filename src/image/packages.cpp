#include "image/packages.h"

#include "util/error.h"

namespace distill {

struct PackagePlanner::State {};

PackagePlanner::PackagePlanner(const Definition& def, const BuildOptions& opts)
    : def_(def), opts_(opts), state_(std::make_unique<State>()) {}

PackagePlanner::~PackagePlanner() = default;

std::vector<LayerJob> PackagePlanner::layer_jobs(const std::string&, std::vector<std::string>*) {
  if (!def_.packages.empty()) {
    throw Error(def_.path + ": this build of distill cannot install Debian packages yet");
  }
  return {};
}

std::vector<LayerJob> PackagePlanner::generated_jobs(const std::string&, const LayerPlan& plan,
                                                     const BuildOptions& opts) {
  if (plan.empty()) return {};
  LayerJob job;
  job.name = "generated files";
  const LayerPlan* p = &plan;
  int64_t mtime = opts.mtime;
  LayerBlobOptions lo = opts.layer;
  job.run = [p, mtime, lo](const std::string& dir) {
    return write_layer_blob(dir, lo, [&](TarWriter& tar) { p->write(tar, mtime); });
  };
  return {job};
}

}  // namespace distill
