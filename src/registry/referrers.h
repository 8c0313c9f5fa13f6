// OCI referrers in a registry (distribution spec 1.1 "Listing Referrers"
// and "Pushing Manifests with Subject"): artifacts whose `subject` is an
// image, found through the referrers API where the registry has one, else
// through the tag schema's index (tag "sha256-<hex>", which Debian 12's
// docker-registry 2.8 needs), and cosign's "sha256-<hex>.sbom"/".att" tags.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "oci/referrers.h"
#include "registry/reference.h"
#include "registry/session.h"

namespace distill::registry {

// One artifact found for a subject. `manifest` carries the artifactType
// (for cosign tags: the layer's media type, kInTotoJson for DSSE envelopes).
struct FoundReferrer {
  oci::Descriptor manifest;
  std::string source;  // "referrers API", "tag sha256-…", "cosign tag sha256-….sbom"
};

// The artifacts attached to the manifest `subject` (a digest) in
// `repository`: the referrers API's answer when the registry answers it
// (200), else the tag schema's index, then cosign's tags; empty when there
// are none. Auth and server errors throw.
std::vector<FoundReferrer> list_referrers(Session& session, const std::string& repository,
                                          const std::string& subject);

// The document an artifact carries: its first layer, verified, at most
// 64 MiB; a DSSE envelope's payload (cosign attestations) decoded.
std::string fetch_referrer_document(Session& session, const std::string& repository,
                                    const oci::Descriptor& manifest);

// Attaches `items` to `subject` in ref's repository: the document and the
// empty config blobs, then each artifact manifest by digest. Where the
// registry does not answer with OCI-Subject (no referrers API), the tag
// schema's index is read, the new entries appended unless listed, and it is
// pushed back once for all of them. Returns the descriptors, in order.
// `where` (if not null) says how they were recorded.
std::vector<oci::Descriptor> attach_referrers(const std::shared_ptr<Session>& session,
                                              const ImageRef& ref, const oci::Descriptor& subject,
                                              const std::vector<oci::Attachment>& items,
                                              std::string* where = nullptr);

}  // namespace distill::registry
