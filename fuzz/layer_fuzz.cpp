// Layer tars (any compression) through the inspect scanner and the merged
// view: whiteouts, opaque directories, hardlinks, symlink resolution.
// Layers in one input are separated by kLayerSep; a single layer is applied
// twice so that its whiteouts remove what its first copy wrote.
#include <memory>

#include "fuzz_util.h"
#include "inspect/layer_scan.h"
#include "inspect/merged_fs.h"
#include "util/error.h"

namespace {

constexpr std::string_view kLayerSep = "DISTILL-LAYER-SEP";

// A blob held in memory; the scanner sniffs its compression itself.
class BytesLayer : public distill::oci::Layer {
 public:
  explicit BytesLayer(std::string_view bytes) : bytes_(bytes) {}
  distill::oci::Descriptor descriptor() const override {
    distill::oci::Descriptor d;
    d.media_type = distill::oci::kOciLayerTar;
    d.digest = "sha256:fuzz";
    d.size = static_cast<int64_t>(bytes_.size());
    return d;
  }
  std::string diff_id() const override { return "sha256:fuzz"; }
  std::unique_ptr<distill::ByteSource> open_blob() const override {
    return std::make_unique<distill::StringSource>(bytes_);
  }

 private:
  std::string bytes_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parts = distill::fuzz::split(distill::fuzz::as_text(data, size), kLayerSep, 4);
  if (parts.size() == 1) parts.push_back(parts[0]);
  distill::inspect::ScanOptions options;
  options.digests = true;
  distill::inspect::MergedFs fs;
  try {
    for (size_t i = 0; i < parts.size(); ++i) {
      BytesLayer layer(parts[i]);
      distill::inspect::LayerScan scan =
          distill::inspect::scan_layer(layer, static_cast<int>(i), options);
      fs.apply(scan);
    }
  } catch (const distill::Error&) {
    // A layer that fails to scan leaves what was merged so far to query.
  }
  size_t queried = 0;
  for (const auto& [path, info] : fs.files()) {
    if (++queried > 256) break;
    fs.resolve(path, true);
    fs.resolve(path, false);
    fs.content(path);
    distill::inspect::mode_string(info);
  }
  fs.resolve("/etc/passwd");
  size_t below = 0;
  fs.for_each_below("", [&below](const distill::inspect::FileInfo&) { ++below; });
  return 0;
}
