// Part "generated": one layer of the files distill writes itself
// (image/generated.h: passwd, group, homes, os-release, files:,
// directories:, symlinks:), sorted, all with the build's mtime; without
// those the split parts (image/part_split.cpp) that parts: lists take.
#include "image/parts.h"

namespace distill {

namespace {

bool generated_wanted(const Definition& def) {
  return !def.users.empty() || !def.groups.empty() || !def.os_release.empty() ||
         !def.directories.empty() || !def.files.empty() || !def.symlinks.empty();
}

// "generated files: /etc/group, /etc/passwd, ...", the first few paths:
// enough to tell the layer apart, short for a definition with many files.
std::string describe_generated(const LayerPlan& plan) {
  constexpr size_t kShown = 10;
  std::vector<std::string> paths = plan.paths();
  std::string out = "generated files:";
  for (size_t i = 0; i < paths.size() && i < kShown; ++i) {
    out += (i == 0 ? " " : ", ") + paths[i];
  }
  if (paths.size() > kShown) out += " and " + std::to_string(paths.size() - kShown) + " more";
  return out;
}

void generated_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  if (in.generated.rest.empty()) return;
  const LayerPlan* plan = &in.generated.rest;
  int64_t mtime = in.layers.mtime;
  LayerBlobOptions blob = in.layers.blob;
  out.push_back({"generated files", describe_generated(in.generated.rest),
                 [plan, mtime, blob](const std::string& dir) {
                   return write_layer_blob(dir, blob, "generated files",
                                           [&](TarWriter& tar) { plan->write(tar, mtime); });
                 }});
}

}  // namespace

extern const PartKind kGeneratedPart{"generated", generated_wanted,
                                     [](const Definition&, std::vector<std::string>&) {},
                                     generated_jobs};

}  // namespace distill
