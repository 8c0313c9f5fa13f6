// SBOMs attached to an image (inspect/attached.h): `distill sbom` returns
// one of these, unchanged, before it reads the image's files.
#pragma once

#include <optional>
#include <string>

#include "inspect/open_image.h"
#include "registry/options.h"

namespace distill::sbom {

struct AttachedSbom {
  std::string document;  // the bytes as attached (an attestation's predicate, re-serialised)
  std::string digest;    // of the artifact manifest
  std::string source;    // "referrers API", "tag sha256-…", "index.json", "cosign tag …"
};

// The first artifact attached to the target's image (then its index) that
// carries an SBOM in `format` ("spdx-json", "cyclonedx-json"): by artifact
// type, or an in-toto statement whose predicate is one (cosign attest).
std::optional<AttachedSbom> find_attached_sbom(const inspect::Target& t, const std::string& format,
                                               const registry::RegistryOptions& registry);

}  // namespace distill::sbom
