// Scans every layer of an image (in parallel, each streamed once) and
// merges them into one filesystem view.
#pragma once

#include <vector>

#include "inspect/layer_scan.h"
#include "inspect/merged_fs.h"
#include "oci/image.h"

namespace distill::inspect {

struct LayerSummary {
  int index = 0;
  oci::Descriptor descriptor;
  std::string diff_id;
  uint64_t uncompressed_size = 0;
  uint64_t entries = 0;
  uint64_t file_bytes = 0;
  uint64_t whiteouts = 0;
  LayerEffect effect;
  // Directories (up to three levels deep) this layer wrote the most bytes
  // into, and the dpkg status entries it added: "what the layer adds".
  std::vector<std::pair<std::string, uint64_t>> top_dirs;
  std::vector<std::string> status_entries;
};

struct ImageScan {
  std::vector<LayerSummary> layers;
  MergedFs fs;
};

ImageScan scan_image(const oci::Image& image, const ScanOptions& options);

}  // namespace distill::inspect
