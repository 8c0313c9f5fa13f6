// The one place `sbom` and `verify` read an image: the reference is opened
// (any transport inspect reads) and every layer streamed once into a merged
// file tree that keeps the dpkg database, copyright files and OS release
// files, and optionally each file's MD5.
#pragma once

#include <set>
#include <string>

#include "archive/size_limits.h"
#include "inspect/merged_fs.h"
#include "oci/image.h"
#include "registry/options.h"

namespace distill::sbom {

struct ReadOptions {
  std::string platform;  // from an index; "" = its only image, else linux/amd64
  bool md5 = false;      // FileInfo::digest = MD5 hex of each regular file (verify)
  SizeLimits limits;
  registry::RegistryOptions registry;  // for docker:// references
};

struct ImageFiles {
  std::string reference;  // as the user wrote it
  std::string name;       // short name for documents: the repository or directory's last part
  std::string digest;     // the selected image's manifest digest
  oci::Platform platform;
  inspect::MergedFs fs;  // whiteouts applied; content() holds the kept files
  // With ReadOptions::md5: regular files some layer wrote that the merged
  // tree no longer has (a whiteout, an opaque directory or a later
  // directory removed them), so verify can tell deleted from never shipped.
  std::set<std::string> removed;
};

// Opens `reference` and reads the selected image. Errors name the
// reference or the layer blob.
ImageFiles read_image(const std::string& reference, const ReadOptions& options);

// The same for an image already open (tests, and callers that hold one).
ImageFiles read_image(const oci::Image& image, const ReadOptions& options);

// Whether the reader keeps a file's content: /etc/os-release,
// /usr/lib/os-release, /etc/debian_version, /var/lib/dpkg/status,
// status.d/* (with .md5sums), info/*.md5sums and /usr/share/doc/*/copyright.
bool kept_file(const std::string& path);

}  // namespace distill::sbom
