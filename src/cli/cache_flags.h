// build's registry layer cache flags: --cache-from REF (any number),
// --cache-to REF, --cache-read-only, and the --cache-* registry flags
// (--cache-insecure, --cache-creds...). Each REF is a registry repository,
// docker://HOST/REPO, used as a layer store behind the local layer cache
// (image/layer_store.h, registry/cache_store.h); --cache-to's is asked
// too, after the --cache-from ones, and written unless --cache-read-only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/registry_flags.h"
#include "image/layer_store.h"
#include "oci/image.h"

namespace distill::cli {

struct CacheFlags {
  std::vector<std::string> from;
  std::string to;
  bool read_only = false;
  RegistryFlags registry;
};

void add_cache_flags(CLI::App* cmd, CacheFlags& f);

class RegistryLayerStore;

// The stores the flags name, owning them; `timeout` is build's --timeout.
class CacheStores {
 public:
  CacheStores(const CacheFlags& f, long timeout);
  ~CacheStores();
  CacheStores(const CacheStores&) = delete;
  CacheStores& operator=(const CacheStores&) = delete;

  // For BuildOptions::stores (empty when no flag was given).
  LayerStores stores() const;
  // Blob digest -> "REPO" of a cache store on the same registry as
  // `push_registry` (host:port) that holds it, for each of `layers`: a
  // push there mounts them instead of uploading (RegistryOptions::mount_from).
  // One HEAD per layer and store; never throws.
  std::map<std::string, std::string> mount_hints(const std::vector<oci::LayerPtr>& layers,
                                                 const std::string& push_registry) const;

 private:
  std::vector<std::unique_ptr<RegistryLayerStore>> owned_;
  std::vector<LayerStore*> from_, to_;
};

}  // namespace distill::cli
