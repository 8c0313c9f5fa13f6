#include "inspect/image_scan.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <thread>

#include "util/error.h"

namespace distill::inspect {

namespace {

std::string top_dir(const std::string& path, int depth) {
  size_t pos = 0;
  for (int i = 0; i < depth; ++i) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) return i == 0 ? "/" : "/" + path.substr(0, pos - 1);
    pos = slash + 1;
  }
  return "/" + path.substr(0, pos - 1);
}

LayerSummary summarize(const LayerScan& s) {
  LayerSummary sum;
  sum.index = s.index;
  sum.descriptor = s.descriptor;
  sum.diff_id = s.diff_id;
  sum.uncompressed_size = s.uncompressed_size;
  sum.entries = s.entries;
  sum.file_bytes = s.file_bytes;
  sum.whiteouts = s.whiteouts;
  std::map<std::string, uint64_t> bytes;
  for (const auto& f : s.files) {
    if (f.whiteout != FileInfo::Whiteout::kNone) continue;
    if (f.type == TarEntry::Type::kFile) bytes[top_dir(f.path, 3)] += f.size;
    if (f.path.rfind("var/lib/dpkg/status.d/", 0) == 0 &&
        f.path.find(".md5sums") == std::string::npos && f.type == TarEntry::Type::kFile) {
      sum.status_entries.push_back(f.path.substr(22));
    }
  }
  std::vector<std::pair<std::string, uint64_t>> v(bytes.begin(), bytes.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (v.size() > 5) v.resize(5);
  sum.top_dirs = std::move(v);
  return sum;
}

}  // namespace

ImageScan scan_image(const oci::Image& image, const ScanOptions& options) {
  auto layers = image.layers();
  std::vector<LayerScan> scans(layers.size());
  std::vector<std::exception_ptr> errors(layers.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < layers.size();) {
      try {
        scans[i] = scan_layer(*layers[i], static_cast<int>(i), options);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  size_t n_threads = std::min<size_t>(std::max(1, options.jobs), layers.size());
  std::vector<std::thread> threads;
  for (size_t t = 1; t < n_threads; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  // Each layer was capped while it streamed; the sum is checked before
  // anything (extract) writes a byte.
  uint64_t total = 0;
  for (const auto& s : scans) total += s.declared_size;
  if (options.limits.image && total > options.limits.image) {
    throw Error("the image's " + std::to_string(scans.size()) + " layers add up to " +
                over_limit(total, options.limits.image, "per-image", "--max-image-size"));
  }
  ImageScan out;
  for (auto& s : scans) {
    LayerSummary sum = summarize(s);
    sum.effect = out.fs.apply(s);
    out.layers.push_back(std::move(sum));
  }
  return out;
}

}  // namespace distill::inspect
