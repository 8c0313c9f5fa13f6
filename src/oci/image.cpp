#include "oci/image.h"

#include "archive/compress.h"
#include "oci/partial.h"
#include "util/error.h"
#include "util/sha256.h"

namespace distill::oci {

std::unique_ptr<ByteSource> Layer::open_tar() const {
  return auto_decompress(open_blob());
}

std::string Image::digest() const {
  return sha256_digest(raw_manifest());
}

nlohmann::json Image::manifest() const {
  return parse_json(raw_manifest(), "image manifest");
}

nlohmann::json Image::config() const {
  return parse_json(raw_config(), "image config");
}

std::string Image::manifest_media_type() const {
  return json_string(manifest(), "mediaType", kOciManifest, "image manifest");
}

Descriptor Image::descriptor() const {
  std::string raw = raw_manifest();
  Descriptor d;
  d.media_type = manifest_media_type();
  d.digest = sha256_digest(raw);
  d.size = static_cast<int64_t>(raw.size());
  return d;
}

Platform Image::platform() const {
  auto c = config();
  Platform p;
  p.os = json_string(c, "os", "linux", "image config");
  p.architecture = json_string(c, "architecture", "", "image config");
  p.variant = json_string(c, "variant", "", "image config");
  return p;
}

std::string Index::digest() const {
  return sha256_digest(raw_index());
}

std::string Index::media_type() const {
  return json_string(parse_json(raw_index(), "image index"), "mediaType", kOciIndex, "image index");
}

ImagePtr Artifact::select(const std::string& platform) const {
  if (image) return image;
  if (!index) throw Error("internal: empty artifact");
  std::vector<IndexEntry> entries;
  for (auto& e : index->manifests()) {
    if (e.image) entries.push_back(e);
  }
  if (platform.empty()) {
    if (entries.size() == 1) return entries[0].image;
    for (auto& e : entries) {
      if (e.descriptor.platform && e.descriptor.platform->os == "linux" &&
          e.descriptor.platform->architecture == "amd64") {
        return e.image;
      }
    }
    std::string list;
    for (auto& e : entries) {
      list += " " + (e.descriptor.platform ? e.descriptor.platform->to_string() : "?");
    }
    throw Error("the image index holds several platforms; choose one with --platform:" + list);
  }
  Platform want = parse_platform(platform);
  for (auto& e : entries) {
    if (!e.descriptor.platform) continue;
    const Platform& p = *e.descriptor.platform;
    if (p.os == want.os && p.architecture == want.architecture &&
        (want.variant.empty() || p.variant == want.variant)) {
      return e.image;
    }
  }
  throw Error("no image for platform " + platform + " in the index");
}

std::unique_ptr<ByteSource> FileLayer::open_blob() const {
  return verify_source(std::make_unique<FileSource>(path_), desc_.digest, desc_.size,
                       "blob " + desc_.digest + " (" + path_ + ")");
}

namespace {

class VerifyingSource : public ByteSource {
 public:
  VerifyingSource(std::unique_ptr<ByteSource> in, std::string digest, int64_t size,
                  std::string what)
      : in_(std::move(in)), digest_(std::move(digest)), size_(size), what_(std::move(what)) {}
  // Checks as soon as the declared size is reached, not only at EOF: many
  // readers (uploads, tar members) take exactly `size` bytes and never ask
  // for more, and a bad blob must fail before it is committed anywhere.
  size_t read(void* buf, size_t n) override {
    size_t got = in_->read(buf, n);
    if (got == 0) {
      check();
      return 0;
    }
    seen_ += got;
    if (size_ >= 0 && static_cast<int64_t>(seen_) > size_) {
      throw Error(what_ + " is larger than its declared " + std::to_string(size_) + " bytes");
    }
    hash_.update(buf, got);
    if (size_ >= 0 && static_cast<int64_t>(seen_) == size_) check();
    return got;
  }

 private:
  void check() {
    if (checked_) return;
    checked_ = true;
    if (size_ >= 0 && static_cast<int64_t>(seen_) != size_) {
      throw Error(what_ + " has " + std::to_string(seen_) + " bytes, expected " +
                  std::to_string(size_));
    }
    std::string actual = hash_.digest();
    if (actual != digest_)
      throw Error(ErrorKind::kIntegrity, what_ + " is corrupt: its content hashes to " + actual);
  }

  std::unique_ptr<ByteSource> in_;
  std::string digest_;
  int64_t size_;
  std::string what_;
  Sha256 hash_;
  uint64_t seen_ = 0;
  bool checked_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> verify_source(std::unique_ptr<ByteSource> in, std::string digest,
                                          int64_t size, std::string what) {
  return std::make_unique<VerifyingSource>(std::move(in), std::move(digest), size, std::move(what));
}

std::string make_manifest(const std::string& config, const std::vector<LayerPtr>& layers,
                          const std::map<std::string, std::string>& annotations) {
  nlohmann::json m;
  m["schemaVersion"] = 2;
  m["mediaType"] = kOciManifest;
  Descriptor c;
  c.media_type = kOciConfig;
  c.digest = sha256_digest(config);
  c.size = static_cast<int64_t>(config.size());
  m["config"] = c.to_json();
  m["layers"] = nlohmann::json::array();
  for (const auto& l : layers) m["layers"].push_back(l->descriptor().to_json());
  if (!annotations.empty()) m["annotations"] = annotations;
  return canonical_json(m);
}

IndexPtr make_index(const std::vector<ImagePtr>& images,
                    const std::map<std::string, std::string>& annotations) {
  nlohmann::json j;
  j["schemaVersion"] = 2;
  j["mediaType"] = kOciIndex;
  j["manifests"] = nlohmann::json::array();
  std::vector<IndexEntry> entries;
  for (const auto& img : images) {
    Descriptor d = img->descriptor();
    d.platform = img->platform();
    j["manifests"].push_back(d.to_json());
    entries.push_back({d, img});
  }
  if (!annotations.empty()) j["annotations"] = annotations;
  return std::make_shared<MemoryIndex>(canonical_json(j), std::move(entries));
}

void validate_image(const Image& image, const std::string& what) {
  image.manifest();
  checked_diff_ids(image.config(), image.layers().size(), what);
}

}  // namespace distill::oci
