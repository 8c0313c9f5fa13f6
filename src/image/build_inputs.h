// What one architecture's image was built from, as the build knew it: the
// .deb files with the SHA-256 the signed index gave and where they were
// downloaded from, the upstream: tarballs, and the files: a definition
// adds. The image itself does not carry these (its digest stays a function
// of its content); `build --sbom` and `--provenance` write them out.
#pragma once

#include <string>
#include <vector>

#include "debian/lockfile.h"
#include "image/definition.h"
#include "image/upstream.h"

namespace distill {

struct FileInput {
  std::string path;    // absolute in the image, ${ARCH} expanded
  std::string sha256;  // hex of the content
  std::string where;   // "file.yaml:12"
};

struct BuildInputs {
  std::vector<debian::LockedPackage> debs;  // installed, one layer each, in layer order
  std::vector<debian::LockedPackage> read;  // read by part layers only (CA bundle, busybox...)
  std::vector<UpstreamTarball> upstreams;   // resolved and verified, path set
  std::vector<FileInput> files;             // files:, in definition order
  std::vector<AppSpec> apps;                // app:, hashed only when asked (app_file_inputs)
};

// The files: of `def` for `arch` with the SHA-256 of their content (inline,
// or the host file read now). Throws naming the definition line when a
// source file cannot be read.
std::vector<FileInput> file_inputs(const Definition& def, const std::string& arch);

// Every regular file the app: items put into the image for `arch`, in item
// and then path order, with the SHA-256 of the host file read now. Throws
// as plan_app_item does (naming the item's line).
std::vector<FileInput> app_file_inputs(const std::vector<AppSpec>& apps, const std::string& arch);

}  // namespace distill
