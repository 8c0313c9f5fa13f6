// oci:DIR[:TAG] for reading: an OCI image layout directory.
#include "oci/layout.h"
#include "transport/transports.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::transport {

bool is_layout_path(const std::string& path) {
  return is_directory(path);
}

oci::Artifact open_oci_layout(const Reference& ref, const OpenOptions&) {
  if (!path_exists(ref.path)) throw Error(ref.path + ": no such OCI image layout");
  oci::OciLayout layout(ref.path);
  return layout.resolve(ref.tag);
}

std::vector<std::string> oci_layout_tags(const Reference& ref, const OpenOptions&) {
  if (!path_exists(ref.path)) throw Error(ref.path + ": no such OCI image layout");
  return oci::OciLayout(ref.path).tags();
}

}  // namespace distill::transport
