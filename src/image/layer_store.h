// Layer stores behind the local layer cache (image/layer_cache.h): shared
// stores a build asks for a layer by the same key, layer_cache_key, before
// building it (--cache-from in order, then --cache-to), and gives the layers
// it built (--cache-to). A fleet of machines sharing one store builds each
// layer once. The stores themselves live elsewhere (a registry repository:
// registry/cache_store.h, adapted in cli/cache_flags.cpp); the builder sees
// only this interface.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "image/layer_blob.h"
#include "oci/image.h"

namespace distill {

class LayerStore;

// A layer a store holds: its blob's descriptor and diff_id, and `info`
// (layer_info_json: sizes and member paths), enough to use it as if built.
struct StoredLayer {
  oci::Descriptor blob;
  std::string diff_id;
  std::string info;
  LayerStore* from = nullptr;  // set by the lookup that found it
};

class LayerStore {
 public:
  virtual ~LayerStore() = default;
  // For messages ("127.0.0.1:5000/fleet/cache").
  virtual std::string name() const = 0;
  // The layer stored under `key`, or nullopt. Never throws: a store that
  // fails warns (once) and misses.
  virtual std::optional<StoredLayer> lookup(const std::string& key) = 0;
  // Writes the hit's blob to the new file `path`, verified against its
  // digest. Throws Error; the caller warns and builds the layer itself.
  virtual void fetch(const StoredLayer& hit, const std::string& path) = 0;
  // Records a layer this build made under `key`, with its `info`. Never
  // throws (a warning); a read-only store does nothing.
  virtual void store(const std::string& key, const BuiltLayer& layer, const std::string& info) = 0;
  // Keeps the blob of a layer no key maps to (made from the definition
  // alone, alike on every machine), so a push to the store's registry can
  // mount it. Never throws.
  virtual void store_blob(const BuiltLayer& layer) = 0;
};

// The stores a build uses besides the local cache; none = only the local
// cache, as always.
struct LayerStores {
  std::vector<LayerStore*> from;  // asked in order; the first hit wins
  std::vector<LayerStore*> to;    // every layer built here is stored in these
  bool empty() const { return from.empty() && to.empty(); }
};

}  // namespace distill
