// Part "app": the program's own files (app:, --app; image/app_layer.h), one
// layer per item, last in parts: so every layer below is the base image's.
// The items are planned together first, so two that give one path, or put
// a file where another has a directory, fail naming both before any layer
// is written.
#include "image/app_layer.h"
#include "image/parts.h"

namespace distill {

namespace {

// "app /app/server" or "app /app/site (12 entries)": what the layer holds,
// in image paths only (a host path would make the config depend on where
// the build ran).
std::string describe_app(const std::string& dest, const LayerPlan& plan) {
  std::vector<std::string> paths = plan.paths();
  std::string out = "app " + dest;
  if (paths.size() > 1) out += " (" + std::to_string(paths.size()) + " entries)";
  return out;
}

void app_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  LayerPlan all;  // every item, for the cross-item checks
  for (const auto& app : in.def.apps) {
    plan_app_item(app, in.arch, all);
    auto plan = std::make_shared<LayerPlan>();
    plan_app_item(app, in.arch, *plan);
    if (in.explain) {
      for (auto& [item, reason] : plan->describe())
        in.explain->push_back({in.arch, "app " + item, reason});
    }
    std::string dest = plan->paths().empty() ? app.dest : plan->paths().front();
    std::string label = "app " + dest;
    LayerBlobOptions blob = in.layers.blob;
    int64_t mtime = in.layers.mtime;
    out.push_back(
        {label, describe_app(dest, *plan), [plan, blob, mtime, label](const std::string& dir) {
           return write_layer_blob(dir, blob, label,
                                   [&](TarWriter& tar) { plan->write(tar, mtime); });
         }});
  }
}

}  // namespace

extern const PartKind kAppPart{"app", [](const Definition& def) { return !def.apps.empty(); },
                               [](const Definition&, std::vector<std::string>&) {}, app_jobs};

}  // namespace distill
