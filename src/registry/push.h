// Writing images to a registry: blobs first (HEAD to skip what exists,
// cross-repository mount when the blob is in another repository of the same
// registry, else a monolithic PUT or PATCH chunks), in parallel, then the
// manifests, the tagged one last, so a reader never sees a manifest whose
// blobs are not all there.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "oci/image.h"
#include "registry/reference.h"
#include "registry/session.h"

namespace distill::registry {

struct PushStats {
  int uploaded = 0;  // blobs sent
  int skipped = 0;   // already in the repository
  int mounted = 0;   // mounted from another repository
  uint64_t bytes = 0;
  std::string digest;  // of what the tag points to
};

// Pushes an image or a whole index to `ref` (tag or digest).
PushStats push(const std::shared_ptr<Session>& session, const ImageRef& ref,
               const oci::Artifact& artifact);

// Uploads one blob to ref's repository unless it is there (HEAD first):
// `layer` reads it, or, when null, `data` holds it (small JSON blobs).
PushStats push_blob(const std::shared_ptr<Session>& session, const ImageRef& ref,
                    const oci::Descriptor& desc, const oci::LayerPtr& layer,
                    const std::string& data = "");

// PUTs a manifest whose blobs are all in ref's repository under
// `reference` (a tag, or its digest), checking the digest the registry stored.
// Returns the answer's OCI-Subject header: the subject's digest when the
// registry indexed a manifest with a `subject` for its referrers API, else "".
std::string push_manifest(const std::shared_ptr<Session>& session, const ImageRef& ref,
                          const std::string& raw, const std::string& media_type,
                          const std::string& reference);

}  // namespace distill::registry
