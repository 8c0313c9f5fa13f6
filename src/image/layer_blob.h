// Turns a stream of tar entries into a finished layer blob in one pass:
// tar -> sha256 (diff_id) -> compressor -> sha256 (digest) -> file.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "archive/compress.h"
#include "archive/tar_writer.h"
#include "oci/image.h"

namespace distill {

struct LayerBlobOptions {
  Compression compression = Compression::kGzip;
  int level = -1;  // compressor default
  // Debian 13's merged /usr (image/merged_usr.h, the definition's
  // merged-usr:): package writers move paths under /bin, /lib... into /usr,
  // and write_layer_blob refuses any entry that would shadow the links.
  bool merged_usr = false;
};

struct BuiltLayer {
  std::shared_ptr<oci::FileLayer> layer;
  uint64_t uncompressed_size = 0;
  uint64_t entries = 0;
  // Package layers only: each member's path and type (hardlinks as files),
  // for the check that two packages do not give one path different types.
  std::vector<std::pair<std::string, TarEntry::Type>> paths;
};

// Writes the blob as a file in `dir` named after its digest ("sha256-<hex>").
// `label` names the layer in errors ("package libc6 2.41-12", "generated
// files"). With opts.merged_usr, an entry that breaks merged /usr throws
// "<label>: ..." and nothing is stored.
BuiltLayer write_layer_blob(const std::string& dir, const LayerBlobOptions& opts,
                            const std::string& label, const std::function<void(TarWriter&)>& fill);

std::string layer_media_type(Compression c);

}  // namespace distill
