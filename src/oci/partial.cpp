#include "oci/partial.h"

#include <mutex>
#include <optional>

#include "util/error.h"
#include "util/sha256.h"

namespace distill::oci {

namespace {

constexpr int kMaxIndexDepth = 4;

// Manifest, config and layers of one image, loaded on first use (thread-safe:
// parallel blob transfers may ask at once).
class PartialImage : public Image {
 public:
  PartialImage(FetcherPtr f, std::optional<Descriptor> desc, std::string manifest, std::string name)
      : f_(std::move(f)),
        desc_(std::move(desc)),
        manifest_(std::move(manifest)),
        name_(std::move(name)) {}

  std::string raw_manifest() const override {
    std::lock_guard<std::mutex> lock(mu_);
    // Built from bytes (no descriptor), the manifest is what was given, even
    // when that is empty: an empty blob is a bad manifest, not a fetch.
    if (desc_ && !fetched_) {
      manifest_ = f_->fetch_manifest(*desc_);
      fetched_ = true;
    }
    return manifest_;
  }
  std::string raw_config() const override {
    load();
    return config_;
  }
  std::vector<LayerPtr> layers() const override {
    load();
    return layers_;
  }

 private:
  void load() const;

  FetcherPtr f_;
  std::optional<Descriptor> desc_;
  mutable std::mutex mu_;
  mutable std::string manifest_;
  mutable bool fetched_ = false;
  std::string name_;
  mutable bool loaded_ = false;
  mutable std::string config_;
  mutable std::vector<LayerPtr> layers_;
};

void PartialImage::load() const {
  std::string raw = raw_manifest();
  std::lock_guard<std::mutex> lock(mu_);
  if (loaded_) return;
  auto m = parse_json(raw, "manifest " + name_);
  if (m.is_object() && m.contains("mediaType") && m["mediaType"].is_string() &&
      is_index_media_type(m["mediaType"].get<std::string>())) {
    throw Error(name_ + " is a " + m["mediaType"].get<std::string>() + ", not an image manifest");
  }
  if (!m.is_object() || !m.contains("config") || !m.contains("layers") || !m["layers"].is_array()) {
    throw Error("manifest " + name_ + " lacks config or layers");
  }
  Descriptor cd = Descriptor::from_json(m["config"], "manifest " + name_ + " config");
  std::string config = f_->fetch_config(cd);
  auto c = parse_json(config, "config of " + name_);
  // Local sources name images by digest alone; say where they are too.
  std::string what = name_.rfind(f_->where(), 0) == 0 ? name_ : f_->where() + ": image " + name_;
  std::vector<std::string> diff_ids = checked_diff_ids(c, m["layers"].size(), what);
  std::vector<LayerPtr> layers;
  for (size_t i = 0; i < m["layers"].size(); ++i) {
    Descriptor ld = Descriptor::from_json(
        m["layers"][i], "manifest " + name_ + " layers[" + std::to_string(i) + "]");
    layers.push_back(f_->layer(ld, diff_ids[i]));
  }
  config_ = std::move(config);
  layers_ = std::move(layers);
  loaded_ = true;
}

// Fetches and checks a nested index (they are listed, not flattened).
void check_nested_index(const BlobFetcher& f, const Descriptor& d, const std::string& name,
                        int depth) {
  if (depth > kMaxIndexDepth) throw Error(f.where() + ": image indexes nested too deeply");
  auto j = parse_json(f.fetch_manifest(d), "index " + d.digest);
  if (!j.is_object() || !j.contains("manifests") || !j["manifests"].is_array())
    throw Error(name + ": index " + d.digest + " has no manifests array");
  size_t i = 0;
  for (auto& m : j["manifests"]) {
    Descriptor md =
        Descriptor::from_json(m, "index " + d.digest + " manifests[" + std::to_string(i++) + "]");
    if (is_index_media_type(md.media_type)) check_nested_index(f, md, name, depth + 1);
  }
}

}  // namespace

std::vector<std::string> checked_diff_ids(const nlohmann::json& config, size_t layers,
                                          const std::string& what) {
  std::vector<std::string> diff_ids = config_diff_ids(config, what + " config");
  if (diff_ids.size() != layers) {
    throw Error(what + " has " + std::to_string(layers) + " layers but its config lists " +
                std::to_string(diff_ids.size()) + " diff_ids");
  }
  for (size_t i = 0; i < diff_ids.size(); ++i) {
    digest_hex(diff_ids[i], what + ": config diff_ids[" + std::to_string(i) + "]");
  }
  return diff_ids;
}

ImagePtr image_from_manifest(FetcherPtr f, std::string raw_manifest, std::string name) {
  return std::make_shared<PartialImage>(std::move(f), std::nullopt, std::move(raw_manifest),
                                        std::move(name));
}

ImagePtr image_from_descriptor(FetcherPtr f, Descriptor d, std::string name) {
  return std::make_shared<PartialImage>(std::move(f), std::move(d), "", std::move(name));
}

IndexPtr index_from_raw(FetcherPtr f, std::string raw, const std::string& name) {
  auto j = parse_json(raw, "index " + name);
  if (!j.is_object() || !j.contains("manifests") || !j["manifests"].is_array())
    throw Error("index " + name + " has no manifests array");
  std::vector<IndexEntry> entries;
  size_t i = 0;
  for (auto& item : j["manifests"]) {
    Descriptor d =
        Descriptor::from_json(item, "index " + name + " manifests[" + std::to_string(i++) + "]");
    IndexEntry e{d, nullptr};
    if (is_manifest_media_type(d.media_type) || d.media_type.empty())
      e.image = image_from_descriptor(f, d, f->where() + "@" + d.digest);
    entries.push_back(std::move(e));
  }
  return std::make_shared<MemoryIndex>(std::move(raw), std::move(entries));
}

Artifact artifact_from(FetcherPtr f, const Descriptor& top, std::string raw,
                       const std::string& name, bool eager) {
  Artifact a;
  if (is_index_media_type(top.media_type)) {
    a.index = index_from_raw(f, std::move(raw), name);
    if (!eager) return a;
    for (const auto& e : a.index->manifests()) {
      if (e.image) {
        e.image->layers();
      } else if (is_index_media_type(e.descriptor.media_type)) {
        check_nested_index(*f, e.descriptor, f->where(), 1);
      }
    }
  } else if (is_manifest_media_type(top.media_type) || top.media_type.empty()) {
    a.image = image_from_manifest(f, std::move(raw), name);
    if (eager) a.image->layers();
  } else {
    throw Error(name + " is a " + top.media_type + ", not an image or an index");
  }
  return a;
}

}  // namespace distill::oci
