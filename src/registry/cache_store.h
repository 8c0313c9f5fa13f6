// A registry repository as a layer cache a fleet shares (--cache-from,
// --cache-to): a cache key (the hex SHA-256 of what determines a layer's
// bytes) maps to a layer blob stored in the same repository. Each mapping
// is a small OCI manifest under the tag "distill-cache-<key>": its config
// is the layer's info (a small JSON blob the builder writes: sizes, member
// paths), its one layer the layer's blob, the key and diff_id in its
// annotations. Tags only, no referrers API, so any registry works (Debian
// 12's docker-registry too), and the mapping keeps its blob from garbage
// collection.
//
// A cache is an optimisation: its errors never fail a build. lookup() and
// store() warn once and answer "miss" / "not stored"; after the registry
// failed to answer, the store stays off for the rest of the process, so a
// dead cache costs one timeout, not one per layer.
//
// Trust: blob bytes are verified against their digest when fetched, but a
// writer of the repository decides what a key maps to. Builds from
// untrusted inputs should open the store read-only (they read the fleet's
// layers but cannot poison them).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "oci/image.h"
#include "registry/options.h"
#include "registry/reference.h"

namespace distill::registry {

class Session;

// What a key maps to: the blob (digest, size, media type), the digest of
// its uncompressed tar, and `info`, JSON text the writer of the mapping
// keeps with it (opaque here; stored as the mapping's config blob, "{}"
// when empty).
struct CachedLayer {
  oci::Descriptor blob;
  std::string diff_id;
  std::string info = {};
};

// The tag holding the mapping for `key` (64 lowercase hex digits, checked).
std::string cache_tag(const std::string& key);

// The mapping manifest for `key` -> `layer` (deterministic JSON), and its
// inverse, which throws Error naming `where` for anything but a mapping of
// exactly `key` with well-formed digests and a layer media type. The
// inverse leaves `info` empty and sets `info_blob` to the config
// descriptor the info is read from.
std::string cache_manifest(const std::string& key, const CachedLayer& layer);
CachedLayer parse_cache_manifest(const std::string& raw, const std::string& key,
                                 const std::string& where, oci::Descriptor* info_blob = nullptr);

// The descriptor of a mapping's config blob holding `info` ("{}" if empty).
oci::Descriptor cache_info_descriptor(const std::string& info);

class RegistryCacheStore {
 public:
  // `ref`: "docker://HOST/REPO" (a tag in it is ignored). `read_only`:
  // store() sends nothing.
  RegistryCacheStore(const std::string& ref, const RegistryOptions& opts, bool read_only);
  ~RegistryCacheStore();
  RegistryCacheStore(const RegistryCacheStore&) = delete;
  RegistryCacheStore& operator=(const RegistryCacheStore&) = delete;

  // "HOST/REPO", for messages and RegistryOptions::mount_from.
  std::string name() const { return ref_.name(); }
  bool read_only() const { return read_only_; }

  // The layer stored under `key` with its info, or nullopt: no mapping,
  // or (after one warning) the registry failed or answered something that
  // is not one. Thread-safe.
  std::optional<CachedLayer> lookup(const std::string& key);

  // Records `layer`, whose blob `blob` reads, under `key`: the blob first
  // (skipped when the repository has it), then the info, then the tag, so
  // a mapping never points at a missing blob. False (after a
  // warning) when it could not; read-only stores return false silently.
  // Thread-safe.
  bool store(const std::string& key, const CachedLayer& layer, const oci::LayerPtr& blob);

  // Uploads a blob no key maps to (a layer made from the definition alone)
  // unless the repository has it, so that a push of the same image to this
  // registry can mount it. Never throws; false after a warning.
  bool store_blob(const oci::Descriptor& desc, const oci::LayerPtr& blob);

  // Whether the repository holds blob `digest` (HEAD). Never throws: false
  // when the store is off or the registry fails.
  bool has_blob(const std::string& digest);

  // A layer reading the hit's blob from this repository on demand,
  // verified by digest (a registry::RegistryLayer: a push to the same
  // registry mounts it instead of reading it).
  oci::LayerPtr layer(const CachedLayer& hit) const;

  // Downloads the hit's blob to `path`, verified. Throws Error (the caller
  // warns and builds the layer itself).
  void fetch(const CachedLayer& hit, const std::string& path) const;

 private:
  // GETs a mapping's info blob, verified. Throws Error.
  std::string fetch_info(const oci::Descriptor& d, const std::string& tag);
  // Logs `what` once as a warning and turns the store off.
  void disable(const std::string& what);
  bool usable();

  ImageRef ref_;
  std::shared_ptr<Session> session_;
  bool read_only_;
  std::mutex mu_;
  bool off_ = false;
};

}  // namespace distill::registry
