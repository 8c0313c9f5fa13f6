// Image references, the same syntax in every command:
//   oci:DIR[:TAG]              an OCI image layout (TAG = ref.name)
//   docker-archive:FILE[:NAME:TAG]
//   docker://HOST/REPO[:TAG|@DIGEST]
//   scratch                    the empty image
//   PATH[:TAG]                 a directory is an OCI layout, a file a docker-archive
#pragma once

#include <string>

#include "oci/image.h"

namespace distill::oci {

struct Reference {
  enum class Kind { kOciLayout, kDockerArchive, kRegistry, kScratch };
  Kind kind = Kind::kOciLayout;
  std::string path;  // layout dir or archive file; registry: HOST/REPO[:TAG|@DIGEST]
  std::string tag;   // layout ref.name or archive NAME:TAG; "" = default
  std::string text;  // as given, for messages
};

Reference parse_reference(const std::string& text);

// Opens a layout or archive for reading. Registry references are handled by
// registry::open (see registry/), which callers use for Kind::kRegistry.
Artifact open_local(const Reference& ref);

// The empty image: no layers, a config for `platform`.
ImagePtr scratch_image(const Platform& platform = {"linux", "amd64", ""});

}  // namespace distill::oci
