// docker://HOST/REPO[:TAG|@DIGEST] for reading: manifests fetched now, blobs
// when read (or prefetched by a local sink), each verified by digest.
#include "registry/open.h"
#include "transport/transports.h"

namespace distill::transport {

oci::Artifact open_registry(const Reference& ref, const OpenOptions& opts) {
  return registry::open_registry(ref.text, opts.registry);
}

std::vector<std::string> registry_tags(const Reference& ref, const OpenOptions& opts) {
  return registry::list_tags(ref.text, opts.registry);
}

}  // namespace distill::transport
