// From raw documents to the image model, once for every reader (after
// go-containerregistry's `partial`): a reader only says how to fetch a
// manifest, a config and a layer by descriptor; parsing manifests and
// indexes, the diff_ids check and lazy loading live here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oci/image.h"

namespace distill::oci {

class BlobFetcher {
 public:
  virtual ~BlobFetcher() = default;
  // Names the source in messages ("out/app", "127.0.0.1:5000/app").
  virtual std::string where() const = 0;
  // A manifest or index named by `d`, verified against its digest and size.
  virtual std::string fetch_manifest(const Descriptor& d) const = 0;
  // A config blob named by `d`, verified against its digest and size.
  virtual std::string fetch_config(const Descriptor& d) const = 0;
  // The layer `d` (its blob read on demand, verified when read to the end).
  virtual LayerPtr layer(const Descriptor& d, const std::string& diff_id) const = 0;
};

using FetcherPtr = std::shared_ptr<const BlobFetcher>;

// The config's rootfs.diff_ids, checked to be as many as `layers` and each a
// sha256 digest. `what` names the image in messages.
std::vector<std::string> checked_diff_ids(const nlohmann::json& config, size_t layers,
                                          const std::string& what);

// An image from its raw manifest; the config and layers are resolved through
// `f` when first needed. `name` labels it in messages.
ImagePtr image_from_manifest(FetcherPtr f, std::string raw_manifest, std::string name);

// An image known only by its descriptor: picking one platform of an index
// costs one manifest, not all of them.
ImagePtr image_from_descriptor(FetcherPtr f, Descriptor d, std::string name);

// An index from its raw document; entries that are image manifests become
// lazily loaded images, other entries (nested indexes) stay descriptors.
IndexPtr index_from_raw(FetcherPtr f, std::string raw, const std::string& name);

// The artifact `top` names, whose document is `raw` (its media type says
// image or index). `eager` loads every image and nested index now, so that
// a broken local source fails when opened, not half-way through a copy.
Artifact artifact_from(FetcherPtr f, const Descriptor& top, std::string raw,
                       const std::string& name, bool eager);

}  // namespace distill::oci
