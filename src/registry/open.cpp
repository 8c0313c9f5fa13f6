#include "registry/open.h"

#include "registry/pull.h"
#include "registry/reference.h"
#include "registry/session.h"
#include "util/log.h"

namespace distill::registry {

oci::Artifact open_registry(const std::string& text, const RegistryOptions& opts) {
  ImageRef ref = parse_image_ref(text);
  auto session = std::make_shared<Session>(ref.registry, ref.api_host(), opts);
  return fetch_artifact(session, ref);
}

void prefetch(const oci::Artifact& artifact, const RegistryOptions& opts) {
  std::vector<oci::LayerPtr> layers;
  if (artifact.image) {
    layers = artifact.image->layers();
  } else if (artifact.index) {
    for (const auto& e : artifact.index->manifests()) {
      if (!e.image) continue;
      for (auto& l : e.image->layers()) layers.push_back(l);
    }
  }
  bool any = false;
  for (const auto& l : layers) any = any || dynamic_cast<const RegistryLayer*>(l.get()) != nullptr;
  if (!any) return;
  // download_all adds each transfer's expected size to the total.
  Progress progress("pulling", 0);
  prefetch_layers(layers, opts.parallel, &progress);
  progress.done();
}

PushStats push_artifact(const oci::Artifact& artifact, const std::string& text,
                        const RegistryOptions& opts) {
  ImageRef ref = parse_image_ref(text);
  auto session = std::make_shared<Session>(ref.registry, ref.api_host(), opts);
  PushStats st = push(session, ref, artifact);
  log_verbose(ref.to_string() + ": " + std::to_string(st.uploaded) + " blobs uploaded (" +
              human_size(st.bytes) + "), " + std::to_string(st.skipped) + " already present, " +
              std::to_string(st.mounted) + " mounted");
  return st;
}

}  // namespace distill::registry
