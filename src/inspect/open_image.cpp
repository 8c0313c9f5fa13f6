#include "inspect/open_image.h"

#include "util/error.h"

namespace distill::inspect {

Target open_target(const std::string& reference, const std::string& platform,
                   const registry::RegistryOptions& registry) {
  Target t;
  t.reference = reference;
  t.ref = transport::parse_reference(reference);
  transport::OpenOptions opts;
  opts.registry = registry;
  // scratch takes whatever platform the other operand has.
  if (!platform.empty()) opts.scratch_platform = oci::parse_platform(platform);
  t.artifact = transport::open(t.ref, opts);
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
