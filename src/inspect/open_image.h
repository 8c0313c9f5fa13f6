// Opens an image reference for inspect/diff/extract and picks a platform.
#pragma once

#include <string>
#include <vector>

#include "oci/image.h"
#include "oci/reference.h"

namespace distill::inspect {

struct Target {
  std::string reference;  // as the user wrote it
  oci::Reference ref;
  oci::Artifact artifact;
  oci::ImagePtr image;                   // the selected image
  std::vector<oci::Platform> platforms;  // every platform the reference offers
  std::string index_digest;              // when the reference names an index
};

Target open_target(const std::string& reference, const std::string& platform);

}  // namespace distill::inspect
