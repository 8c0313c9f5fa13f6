// Streams one layer once and records what it holds: per-entry metadata,
// whiteouts, captured small files, ELF interpreters and (optionally) the
// SHA-256 of every regular file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "archive/size_limits.h"
#include "inspect/file_info.h"
#include "oci/image.h"

namespace distill::inspect {

struct ScanOptions {
  bool digests = false;  // diff needs content digests; inspect does not
  bool captures = true;  // keep the small files facts are read from
  int jobs = 2;          // layers scanned in parallel
  SizeLimits limits;     // per-file and per-layer while streaming, image after all layers
};

struct LayerScan {
  int index = 0;
  oci::Descriptor descriptor;
  std::string diff_id;
  uint64_t uncompressed_size = 0;  // bytes of the tar stream
  uint64_t entries = 0;            // tar members, whiteouts included
  uint64_t file_bytes = 0;         // sum of regular file sizes
  uint64_t whiteouts = 0;
  uint64_t declared_size = 0;   // member sizes plus 512 per header, as the size caps count
  std::vector<FileInfo> files;  // in tar order, whiteouts included
  std::map<std::string, std::string> captures;  // path -> content (see capture.h)
};

// Reads the layer to its end so that the blob digest is verified; a bad
// digest, bad compression, an escaping or non-UTF-8 member path, one path
// given two types, or a size over the limits is an Error naming the layer's
// blob.
LayerScan scan_layer(const oci::Layer& layer, int index, const ScanOptions& options);

}  // namespace distill::inspect
