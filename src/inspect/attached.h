// What is attached to an image (OCI referrers, transport::ReferrerStore):
// the artifacts whose subject is the selected image or the index it was
// picked from, for `inspect` and `sbom`.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inspect/open_image.h"
#include "registry/options.h"

namespace distill::inspect {

struct AttachedArtifact {
  transport::Attached found;
  std::string subject;  // the digest it is attached to
};

// The image's referrers first, then the index's, in `store`.
std::vector<AttachedArtifact> list_attached(const Target& t, transport::ReferrerStore& store);
// The same in the target's own store; empty for kinds that keep none
// (archives, scratch).
std::vector<AttachedArtifact> list_attached(const Target& t,
                                            const registry::RegistryOptions& registry);

// The report's `attached` array: {artifact_type, digest, size, subject, source}.
nlohmann::json attached_json(const std::vector<AttachedArtifact>& list);

}  // namespace distill::inspect
