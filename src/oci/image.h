// The image model, after go-containerregistry: an Image is a manifest, a
// config and ordered Layers; an Index lists images per platform. Readers
// (OCI layout, docker-archive, registry) produce these and writers consume
// them, so any source can feed any sink.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oci/types.h"
#include "util/io.h"

namespace distill::oci {

class Layer {
 public:
  virtual ~Layer() = default;
  // The blob as stored: compressed digest, size, media type.
  virtual Descriptor descriptor() const = 0;
  // sha256 of the uncompressed tar.
  virtual std::string diff_id() const = 0;
  // The stored bytes; reading to the end verifies digest and size.
  virtual std::unique_ptr<ByteSource> open_blob() const = 0;
  // The uncompressed tar (compression sniffed from the bytes, not trusted
  // from the media type).
  virtual std::unique_ptr<ByteSource> open_tar() const;
  // A file holding exactly the blob, already checked against descriptor()
  // by this process and written by nothing else, or "" when there is none
  // (the default). A sink on the same filesystem may hard-link it instead
  // of copying and hashing the bytes again.
  virtual std::string verified_file() const { return ""; }
};

using LayerPtr = std::shared_ptr<const Layer>;

class Image {
 public:
  virtual ~Image() = default;
  virtual std::string raw_manifest() const = 0;
  virtual std::string raw_config() const = 0;
  virtual std::vector<LayerPtr> layers() const = 0;

  std::string digest() const;  // of the manifest
  std::string manifest_media_type() const;
  nlohmann::json manifest() const;
  nlohmann::json config() const;
  Descriptor descriptor() const;  // manifest descriptor (no platform)
  Platform platform() const;      // from the config
};

using ImagePtr = std::shared_ptr<const Image>;

struct IndexEntry {
  Descriptor descriptor;
  ImagePtr image;  // null for entries that are not images (e.g. nested index)
};

class Index {
 public:
  virtual ~Index() = default;
  virtual std::string raw_index() const = 0;
  virtual std::vector<IndexEntry> manifests() const = 0;
  std::string digest() const;
  std::string media_type() const;
};

using IndexPtr = std::shared_ptr<const Index>;

// What a reference names: exactly one of the two is set.
struct Artifact {
  ImagePtr image;
  IndexPtr index;
  // Picks the image for `platform` ("" = the only one, or linux/amd64).
  ImagePtr select(const std::string& platform = "") const;
};

// A layer whose blob is a file on disk (OCI layout, build output, cache).
class FileLayer : public Layer {
 public:
  // `sealed`: this process wrote the file and hashed it as it did, and
  // nothing else writes it (a build's temporary blobs), so a sink on the same
  // filesystem may hard-link it instead of reading it again.
  FileLayer(std::string path, Descriptor desc, std::string diff_id, bool sealed = false)
      : path_(std::move(path)),
        desc_(std::move(desc)),
        diff_id_(std::move(diff_id)),
        sealed_(sealed) {}
  Descriptor descriptor() const override { return desc_; }
  std::string diff_id() const override { return diff_id_; }
  std::unique_ptr<ByteSource> open_blob() const override;
  const std::string& path() const { return path_; }
  bool sealed() const { return sealed_; }
  std::string verified_file() const override { return sealed_ ? path_ : ""; }

 private:
  std::string path_;
  Descriptor desc_;
  std::string diff_id_;
  bool sealed_;
};

// An image held as its two JSON documents plus layers.
class MemoryImage : public Image {
 public:
  MemoryImage(std::string manifest, std::string config, std::vector<LayerPtr> layers)
      : manifest_(std::move(manifest)), config_(std::move(config)), layers_(std::move(layers)) {}
  std::string raw_manifest() const override { return manifest_; }
  std::string raw_config() const override { return config_; }
  std::vector<LayerPtr> layers() const override { return layers_; }

 private:
  std::string manifest_, config_;
  std::vector<LayerPtr> layers_;
};

class MemoryIndex : public Index {
 public:
  MemoryIndex(std::string raw, std::vector<IndexEntry> entries)
      : raw_(std::move(raw)), entries_(std::move(entries)) {}
  std::string raw_index() const override { return raw_; }
  std::vector<IndexEntry> manifests() const override { return entries_; }

 private:
  std::string raw_;
  std::vector<IndexEntry> entries_;
};

// Builds an OCI manifest for `config` and `layers` (annotations optional).
std::string make_manifest(const std::string& config, const std::vector<LayerPtr>& layers,
                          const std::map<std::string, std::string>& annotations = {});
// Builds an OCI index over images, each with its platform from its config.
IndexPtr make_index(const std::vector<ImagePtr>& images,
                    const std::map<std::string, std::string>& annotations = {});

// Wraps a source so that reaching EOF checks the digest and size; `what`
// names the blob in errors.
std::unique_ptr<ByteSource> verify_source(std::unique_ptr<ByteSource> in, std::string digest,
                                          int64_t size, std::string what);

// Checks the manifest/config pair: diff_ids count equals layers count, etc.
void validate_image(const Image& image, const std::string& what);

}  // namespace distill::oci
