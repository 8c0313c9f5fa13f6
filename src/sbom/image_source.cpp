#include "sbom/image_source.h"

#include <unordered_map>

#include "archive/tar_reader.h"
#include "inspect/open_image.h"
#include "sbom/md5.h"
#include "util/error.h"

namespace distill::sbom {

namespace {

constexpr size_t kMaxKept = 16 << 20;  // a status file of thousands of packages fits

inspect::LayerScan read_layer(const oci::Layer& layer, int index, const ReadOptions& options) {
  inspect::LayerScan scan;
  scan.index = index;
  scan.descriptor = layer.descriptor();
  std::string name = "layer " + std::to_string(index) + " (" + scan.descriptor.digest + ")";
  std::unique_ptr<ByteSource> source = layer.open_tar();
  ByteSource* raw = source.get();  // owned by `tar` below, which outlives its use
  TarReader tar(std::move(source), name);
  tar.set_limits(options.limits.file, options.limits.layer);
  std::unordered_map<std::string, std::string> md5_of;  // hardlinks share their target's
  std::vector<char> buf(1 << 16);
  TarEntry e;
  while (tar.next(e)) {
    if (e.path.empty()) continue;
    inspect::FileInfo f = inspect::file_info_of(e, index);
    if (f.whiteout == inspect::FileInfo::Whiteout::kNone && e.type == TarEntry::Type::kHardlink) {
      auto it = md5_of.find(e.link);
      if (it != md5_of.end()) f.digest = it->second;
    }
    if (f.whiteout == inspect::FileInfo::Whiteout::kNone && e.type == TarEntry::Type::kFile) {
      f.size = e.size;
      bool keep = kept_file(f.path) && e.size <= kMaxKept;
      if (keep || options.md5) {
        Md5 md5;
        std::string data;
        for (size_t n; (n = tar.read(buf.data(), buf.size())) > 0;) {
          if (options.md5) md5.update(buf.data(), n);
          if (keep) data.append(buf.data(), n);
        }
        if (options.md5) f.digest = md5_of[f.path] = md5.hex();
        if (keep) scan.captures[f.path] = std::move(data);
      }
    }
    scan.files.push_back(std::move(f));
  }
  // Drain what libarchive left (end-of-archive padding) so the verifying
  // blob source reaches EOF and checks the digest.
  for (size_t n; (n = raw->read(buf.data(), buf.size())) > 0;) {
  }
  scan.declared_size = tar.declared_total();
  return scan;
}

std::string short_name(const std::string& reference, const transport::Reference& ref) {
  std::string path = ref.path.empty() ? reference : ref.path;
  if (ref.kind() == "docker") {
    path = path.substr(0, path.find('@'));
    size_t colon = path.rfind(':');
    if (colon != std::string::npos && path.find('/', colon) == std::string::npos)
      path.resize(colon);
  }
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  size_t slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if ((ref.kind() == "docker-archive" || ref.kind() == "oci-archive") && base.ends_with(".tar"))
    base.resize(base.size() - 4);
  return base.empty() ? "image" : base;
}

}  // namespace

bool kept_file(const std::string& path) {
  if (path == "etc/os-release" || path == "usr/lib/os-release" || path == "etc/debian_version" ||
      path == "var/lib/dpkg/status")
    return true;
  if (path.starts_with("var/lib/dpkg/status.d/")) return path.find('/', 22) == std::string::npos;
  if (path.starts_with("var/lib/dpkg/info/"))
    return path.ends_with(".md5sums") && path.find('/', 18) == std::string::npos;
  if (path.starts_with("usr/share/doc/") && path.ends_with("/copyright")) {
    std::string mid = path.substr(14, path.size() - 14 - 10);
    return !mid.empty() && mid.find('/') == std::string::npos;
  }
  return false;
}

ImageFiles read_image(const oci::Image& image, const ReadOptions& options) {
  ImageFiles out;
  out.digest = image.digest();
  out.platform = image.platform();
  auto layers = image.layers();
  uint64_t total = 0;
  std::set<std::string> written;
  for (size_t i = 0; i < layers.size(); ++i) {
    inspect::LayerScan scan = read_layer(*layers[i], static_cast<int>(i), options);
    total += scan.declared_size;
    if (options.limits.image && total > options.limits.image) {
      throw Error("the image's first " + std::to_string(i + 1) + " layers add up to " +
                  over_limit(total, options.limits.image, "per-image", "--max-image-size"));
    }
    if (options.md5) {
      for (const auto& f : scan.files) {
        if (f.whiteout == inspect::FileInfo::Whiteout::kNone &&
            (f.type == TarEntry::Type::kFile || f.type == TarEntry::Type::kHardlink))
          written.insert(f.path);
      }
    }
    out.fs.apply(scan);
  }
  for (const auto& path : written) {
    if (!out.fs.find(path)) out.removed.insert(path);
  }
  return out;
}

ImageFiles read_image(const std::string& reference, const ReadOptions& options) {
  // The only place sbom and verify open a reference.
  inspect::Target target = inspect::open_target(reference, options.platform, options.registry);
  ImageFiles out = read_image(*target.image, options);
  out.reference = reference;
  out.name = short_name(reference, target.ref);
  return out;
}

}  // namespace distill::sbom
