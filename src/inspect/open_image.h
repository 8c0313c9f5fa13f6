// Opens an image reference for inspect/diff/extract and picks a platform.
#pragma once

#include <string>
#include <vector>

#include "oci/image.h"
#include "registry/options.h"
#include "transport/transport.h"

namespace distill::inspect {

struct Target {
  std::string reference;  // as the user wrote it
  transport::Reference ref;
  oci::Artifact artifact;
  oci::ImagePtr image;                   // the selected image
  std::vector<oci::Platform> platforms;  // every platform the reference offers
  std::string index_digest;              // when the reference names an index
};

// Opens `reference` (any transport; registries with `registry`) and selects
// `platform` ("" = the only one, or linux/amd64). `scratch` takes `platform`.
Target open_target(const std::string& reference, const std::string& platform,
                   const registry::RegistryOptions& registry);

}  // namespace distill::inspect
