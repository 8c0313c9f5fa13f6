#include "inspect/open_image.h"

#include "registry/open.h"
#include "util/error.h"

namespace distill::inspect {

Target open_target(const std::string& reference, const std::string& platform) {
  Target t;
  t.reference = reference;
  t.ref = oci::parse_reference(reference);
  if (t.ref.kind == oci::Reference::Kind::kScratch) {
    // scratch takes whatever platform the other operand has.
    t.image = oci::scratch_image(platform.empty() ? oci::Platform{"linux", "amd64", ""}
                                                  : oci::parse_platform(platform));
    t.artifact.image = t.image;
    t.platforms.push_back(t.image->platform());
    return t;
  }
  if (t.ref.kind == oci::Reference::Kind::kRegistry) {
    // Credentials and insecure registries come from the registry config
    // file; blobs are fetched and verified by digest as they are read.
    t.artifact = registry::open_registry(reference, registry::RegistryOptions{});
  } else {
    t.artifact = oci::open_local(t.ref);
  }
  if (t.artifact.index) {
    t.index_digest = t.artifact.index->digest();
    for (const auto& e : t.artifact.index->manifests()) {
      if (e.image && e.descriptor.platform) t.platforms.push_back(*e.descriptor.platform);
    }
  }
  t.image = t.artifact.select(platform);
  if (!t.artifact.index) {
    if (!platform.empty()) {
      oci::Platform want = oci::parse_platform(platform);
      oci::Platform have = t.image->platform();
      if (want.architecture != have.architecture || want.os != have.os) {
        throw Error(reference + " is a single " + have.to_string() + " image; it has no platform " +
                    platform);
      }
    }
    t.platforms.push_back(t.image->platform());
  }
  oci::validate_image(*t.image, reference);
  return t;
}

}  // namespace distill::inspect
