// The plan for one architecture's layers (ninja's Plan, apart from the
// builder that runs it): select the packages (or read them from the lock),
// fetch them, then ask each part kind of the definition's parts: list for
// its layer jobs, in that order.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "image/build_inputs.h"
#include "image/build_options.h"
#include "image/definition.h"
#include "image/generated.h"
#include "image/layer_job.h"
#include "image/selection.h"

namespace distill {

struct LayerJobs {
  std::vector<LayerJob> jobs;                   // in image order
  std::map<std::string, std::string> versions;  // package -> version, for config.version-env
  // upstream: item name (upstream_name) -> the version it resolved to.
  std::map<std::string, std::string> upstream_versions;
  BuildInputs inputs;  // what the layers are made from
  // The packages' .debs, fetched when a job that reads one runs (or in one
  // batch by use_layer_cache, for the jobs no layer cache has).
  std::shared_ptr<DebFiles> debs;
  LayerBlobOptions blob;  // the layers' blob options (merged_usr set), for their cache keys
};

// `generated` (the definition's generated files for `arch`) must outlive
// the jobs, `selector` too (the jobs fetch through it). Selection warnings
// are logged. No package is fetched here.
LayerJobs plan_layer_jobs(const Definition& def, const std::string& arch,
                          const GeneratedFiles& generated, PackageSelector& selector,
                          const LayerOptions& layers, std::vector<Explained>* explain,
                          const SourceOptions* source = nullptr);

}  // namespace distill
