#include "image/layer_jobs.h"

#include <cstdint>
#include <map>
#include <string>

#include "image/parts.h"
#include "util/log.h"

namespace distill {

LayerJobs plan_layer_jobs(const Definition& def, const std::string& arch,
                          const GeneratedFiles& generated, PackageSelector& selector,
                          const LayerOptions& layers, std::vector<Explained>* explain,
                          const SourceOptions* source) {
  Selection sel = selector.select(arch, part_sources(def));
  for (const auto& w : sel.warnings) log_warn(w);
  LayerJobs out;
  // Nothing is fetched yet: the layer caches are asked first (builder.cpp).
  out.debs = std::make_shared<DebFiles>(selector, arch, sel);
  out.versions = package_versions(sel);
  // Every part copies its writers' options from here, so this one flag
  // reaches every layer of the image (image/layer_blob.h).
  LayerOptions opts = layers;
  opts.blob.merged_usr = def.merged_usr.value_or(false);
  for (const auto& p : sel.installed) out.inputs.debs.push_back(p.locked);
  for (const auto& p : sel.sources) out.inputs.read.push_back(p.locked);
  out.inputs.files = file_inputs(def, arch);
  out.inputs.apps = def.apps;
  out.jobs = part_jobs(PartInput{def, arch, sel, opts, generated, explain, source,
                                 &out.upstream_versions, &out.inputs.upstreams, out.debs});
  // What each job costs to run (run_layer_jobs starts the costliest first):
  // the size of the .debs it reads.
  std::map<std::string, uint64_t> sizes;
  for (const auto& p : sel.installed) sizes[p.locked.name] = p.locked.size;
  for (const auto& p : sel.sources) sizes[p.locked.name] = p.locked.size;
  for (auto& job : out.jobs) {
    for (const auto& name : job.debs)
      if (auto it = sizes.find(name); it != sizes.end()) job.cost += it->second;
  }
  out.blob = opts.blob;
  return out;
}

}  // namespace distill
