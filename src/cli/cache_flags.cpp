#include "cli/cache_flags.h"

#include "registry/cache_store.h"
#include "transport/transport.h"
#include "util/error.h"

namespace distill::cli {

// A registry repository as a LayerStore for the builder.
class RegistryLayerStore : public LayerStore {
 public:
  RegistryLayerStore(const std::string& ref, const registry::RegistryOptions& opts, bool read_only)
      : store_(ref, opts, read_only) {}

  std::string name() const override { return store_.name(); }

  std::optional<StoredLayer> lookup(const std::string& key) override {
    auto hit = store_.lookup(key);
    if (!hit) return std::nullopt;
    return StoredLayer{hit->blob, hit->diff_id, hit->info, this};
  }

  void fetch(const StoredLayer& hit, const std::string& path) override {
    store_.fetch(registry::CachedLayer{hit.blob, hit.diff_id, hit.info}, path);
  }

  void store(const std::string& key, const BuiltLayer& layer, const std::string& info) override {
    registry::CachedLayer c{layer.layer->descriptor(), layer.layer->diff_id(), info};
    store_.store(key, c, layer.layer);
  }

  void store_blob(const BuiltLayer& layer) override {
    store_.store_blob(layer.layer->descriptor(), layer.layer);
  }

  bool has_blob(const std::string& digest) { return store_.has_blob(digest); }

 private:
  registry::RegistryCacheStore store_;
};

namespace {

std::string cache_ref(const std::string& text, const char* flag) {
  transport::Reference r = transport::parse_reference(text);
  if (r.kind() != "docker")
    throw Error(
        ErrorKind::kUsage,
        std::string(flag) + " needs a registry repository docker://HOST/REPO, not '" + text + "'");
  return text;
}

}  // namespace

void add_cache_flags(CLI::App* cmd, CacheFlags& f) {
  cmd->add_option("--cache-from", f.from,
                  "Take layers from this registry layer cache, docker://HOST/REPO, when it has "
                  "them (repeatable; asked in order, after the local layer cache). A cache that "
                  "fails only warns")
      ->type_name("REF");
  cmd->add_option("--cache-to", f.to,
                  "Store the layers this build makes in the registry layer cache "
                  "docker://HOST/REPO (asked too, after --cache-from)")
      ->type_name("REF");
  cmd->add_flag("--cache-read-only", f.read_only,
                "Read --cache-to but never write it (for builds of untrusted inputs; "
                "--cache-from is never written)");
  add_registry_flags(cmd, f.registry, RegistryFlagSet::kCache);
}

CacheStores::CacheStores(const CacheFlags& f, long timeout) {
  if (f.from.empty() && f.to.empty()) return;
  registry::RegistryOptions o = registry_options(f.registry, "");
  o.timeout_seconds = timeout;
  for (const auto& ref : f.from) {
    owned_.push_back(std::make_unique<RegistryLayerStore>(cache_ref(ref, "--cache-from"), o, true));
    from_.push_back(owned_.back().get());
  }
  if (!f.to.empty()) {
    owned_.push_back(
        std::make_unique<RegistryLayerStore>(cache_ref(f.to, "--cache-to"), o, f.read_only));
    from_.push_back(owned_.back().get());
    if (!f.read_only) to_.push_back(owned_.back().get());
  }
}

CacheStores::~CacheStores() = default;

LayerStores CacheStores::stores() const {
  return LayerStores{from_, to_};
}

std::map<std::string, std::string> CacheStores::mount_hints(
    const std::vector<oci::LayerPtr>& layers, const std::string& push_registry) const {
  std::map<std::string, std::string> out;
  for (const auto& s : owned_) {
    if (s->name().rfind(push_registry + "/", 0) != 0) continue;
    for (const auto& l : layers) {
      std::string digest = l->descriptor().digest;
      if (!out.count(digest) && s->has_blob(digest)) out[digest] = s->name();
    }
  }
  return out;
}

}  // namespace distill::cli
