// `scratch`: the empty image, for `diff scratch IMAGE` and as a copy source.
// It cannot be written.
#include "transport/transports.h"
#include "util/error.h"

namespace distill::transport {

oci::Artifact open_scratch(const Reference&, const OpenOptions& opts) {
  oci::Artifact a;
  a.image = scratch_image(opts.scratch_platform);
  return a;
}

std::vector<std::string> scratch_tags(const Reference&, const OpenOptions&) {
  return {};  // the empty image has no name
}

std::unique_ptr<Sink> scratch_sink(const Reference&, const WriteOptions&) {
  throw Error("cannot copy to 'scratch'");
}

}  // namespace distill::transport
