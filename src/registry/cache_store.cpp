#include "registry/cache_store.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "registry/pull.h"
#include "registry/push.h"
#include "registry/session.h"
#include "util/error.h"
#include "util/io.h"
#include "util/log.h"
#include "util/sha256.h"

namespace distill::registry {

namespace {

constexpr const char* kCacheTagPrefix = "distill-cache-";
constexpr const char* kCacheArtifactType = "application/vnd.dev.distill.layer-cache.v1";
constexpr const char* kCacheKeyAnnotation = "dev.distill.cache.key";
constexpr const char* kCacheDiffIdAnnotation = "dev.distill.cache.diff-id";
constexpr const char* kOciManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kCacheInfoType = "application/vnd.dev.distill.layer-cache.info.v1+json";
// The OCI empty descriptor's bytes, for a mapping without info.
constexpr const char* kEmptyConfigType = "application/vnd.oci.empty.v1+json";
constexpr const char* kEmptyConfig = "{}";
// An info blob is a few hundred KiB at most (a package's member paths).
constexpr int64_t kMaxCacheInfo = 16 << 20;

bool lower_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool sha256_digest_text(const std::string& s) {
  return s.rfind("sha256:", 0) == 0 && lower_hex64(s.substr(7));
}

bool layer_media_type_text(const std::string& t) {
  return t == "application/vnd.oci.image.layer.v1.tar" ||
         t == "application/vnd.oci.image.layer.v1.tar+gzip" ||
         t == "application/vnd.oci.image.layer.v1.tar+zstd" ||
         t == "application/vnd.docker.image.rootfs.diff.tar.gzip";
}

const std::string& info_bytes(const CachedLayer& layer) {
  static const std::string empty = kEmptyConfig;
  return layer.info.empty() ? empty : layer.info;
}

}  // namespace

oci::Descriptor cache_info_descriptor(const std::string& info) {
  oci::Descriptor d;
  d.media_type = info.empty() ? kEmptyConfigType : kCacheInfoType;
  const std::string& bytes = info.empty() ? std::string(kEmptyConfig) : info;
  d.digest = sha256_digest(bytes);
  d.size = static_cast<int64_t>(bytes.size());
  return d;
}

std::string cache_tag(const std::string& key) {
  if (!lower_hex64(key))
    throw Error("internal: a layer cache key must be 64 lowercase hex digits, not '" + key + "'");
  return kCacheTagPrefix + key;
}

std::string cache_manifest(const std::string& key, const CachedLayer& layer) {
  cache_tag(key);
  nlohmann::json j;
  j["schemaVersion"] = 2;
  j["mediaType"] = kOciManifestType;
  j["artifactType"] = kCacheArtifactType;
  oci::Descriptor cfg = cache_info_descriptor(layer.info);
  j["config"] = {{"mediaType", cfg.media_type}, {"digest", cfg.digest}, {"size", cfg.size}};
  j["layers"] = nlohmann::json::array({{{"mediaType", layer.blob.media_type},
                                        {"digest", layer.blob.digest},
                                        {"size", layer.blob.size}}});
  j["annotations"] = {{kCacheKeyAnnotation, key}, {kCacheDiffIdAnnotation, layer.diff_id}};
  return j.dump();
}

CachedLayer parse_cache_manifest(const std::string& raw, const std::string& key,
                                 const std::string& where, oci::Descriptor* info_blob) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(raw);
  } catch (const nlohmann::json::exception&) {
    throw Error(where + ": the cache mapping is not JSON");
  }
  auto bad = [&](const std::string& what) {
    return Error(where + ": not a distill cache mapping (" + what + ")");
  };
  if (!j.is_object() || !j.contains("layers") || !j["layers"].is_array() ||
      j["layers"].size() != 1 || !j["layers"][0].is_object())
    throw bad("it needs exactly one layer");
  if (!j.contains("annotations") || !j["annotations"].is_object()) throw bad("no annotations");
  const auto& ann = j["annotations"];
  if (ann.value(kCacheKeyAnnotation, "") != key) throw bad("it is stored for another key");
  CachedLayer out;
  out.diff_id = ann.value(kCacheDiffIdAnnotation, "");
  const auto& l = j["layers"][0];
  out.blob.media_type = l.value("mediaType", "");
  out.blob.digest = l.value("digest", "");
  out.blob.size =
      l.contains("size") && l["size"].is_number_integer() ? l["size"].get<int64_t>() : 0;
  if (!sha256_digest_text(out.diff_id)) throw bad("diff-id '" + out.diff_id + "'");
  if (!sha256_digest_text(out.blob.digest)) throw bad("layer digest '" + out.blob.digest + "'");
  if (out.blob.size <= 0) throw bad("layer size");
  if (!layer_media_type_text(out.blob.media_type))
    throw bad("layer media type '" + out.blob.media_type + "'");
  if (info_blob) {
    if (!j.contains("config") || !j["config"].is_object()) throw bad("no config");
    const auto& c = j["config"];
    info_blob->media_type = c.value("mediaType", "");
    info_blob->digest = c.value("digest", "");
    info_blob->size =
        c.contains("size") && c["size"].is_number_integer() ? c["size"].get<int64_t>() : -1;
    if (!sha256_digest_text(info_blob->digest) || info_blob->size < 0 ||
        info_blob->size > kMaxCacheInfo)
      throw bad("config");
  }
  return out;
}

RegistryCacheStore::RegistryCacheStore(const std::string& ref, const RegistryOptions& opts,
                                       bool read_only)
    : ref_(parse_image_ref(ref)), read_only_(read_only) {
  ref_.tag.clear();
  ref_.digest.clear();
  RegistryOptions o = opts;
  // A cache answers fast or not at all: one retry, not a build's patience.
  o.retries = std::min(o.retries, 1);
  o.backoff_ms = std::min<long>(o.backoff_ms, 200);
  session_ = std::make_shared<Session>(ref_.registry, ref_.api_host(), o);
}

RegistryCacheStore::~RegistryCacheStore() = default;

bool RegistryCacheStore::usable() {
  std::lock_guard<std::mutex> lock(mu_);
  return !off_;
}

void RegistryCacheStore::disable(const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  if (off_) return;
  off_ = true;
  log_warn("layer cache " + name() + ": " + what + "; building without it");
}

std::optional<CachedLayer> RegistryCacheStore::lookup(const std::string& key) {
  if (!usable()) return std::nullopt;
  std::string tag = cache_tag(key);
  try {
    net::Request req;
    req.method = "GET";
    req.url = "/v2/" + ref_.repository + "/manifests/" + tag;
    req.headers.set("Accept", kOciManifestType);
    net::Response r = session_->send(req, repository_scope(ref_.repository, false));
    if (r.status == 404) return std::nullopt;
    if (r.status != 200) session_->fail(r, "reading " + name() + ":" + tag);
    oci::Descriptor info;
    CachedLayer hit = parse_cache_manifest(r.body, key, name() + ":" + tag, &info);
    if (info.media_type == kCacheInfoType) hit.info = fetch_info(info, tag);
    log_verbose("layer cache " + name() + ": hit " + key.substr(0, 12) + " -> " + hit.blob.digest);
    return hit;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kNotFound) return std::nullopt;
    disable(e.what());
    return std::nullopt;
  }
}

std::string RegistryCacheStore::fetch_info(const oci::Descriptor& d, const std::string& tag) {
  net::Request req;
  req.method = "GET";
  req.url = "/v2/" + ref_.repository + "/blobs/" + d.digest;
  net::Response r = session_->send(req, repository_scope(ref_.repository, false));
  if (r.status != 200) session_->fail(r, "reading the info of " + name() + ":" + tag);
  if (sha256_digest(r.body) != d.digest || static_cast<int64_t>(r.body.size()) != d.size)
    throw Error(ErrorKind::kIntegrity,
                name() + ":" + tag + ": the info blob does not match its digest " + d.digest);
  return std::move(r.body);
}

bool RegistryCacheStore::store(const std::string& key, const CachedLayer& layer,
                               const oci::LayerPtr& blob) {
  if (read_only_ || !usable()) return false;
  std::string tag = cache_tag(key);
  try {
    push_blob(session_, ref_, layer.blob, blob);
    push_blob(session_, ref_, cache_info_descriptor(layer.info), nullptr, info_bytes(layer));
    push_manifest(session_, ref_, cache_manifest(key, layer), kOciManifestType, tag);
    log_verbose("layer cache " + name() + ": stored " + key.substr(0, 12) + " -> " +
                layer.blob.digest);
    return true;
  } catch (const Error& e) {
    disable(std::string("cannot store a layer: ") + e.what());
    return false;
  }
}

bool RegistryCacheStore::store_blob(const oci::Descriptor& desc, const oci::LayerPtr& blob) {
  if (read_only_ || !usable()) return false;
  try {
    push_blob(session_, ref_, desc, blob);
    return true;
  } catch (const Error& e) {
    disable(std::string("cannot store a layer: ") + e.what());
    return false;
  }
}

bool RegistryCacheStore::has_blob(const std::string& digest) {
  if (!usable()) return false;
  try {
    net::Request req;
    req.method = "HEAD";
    req.url = "/v2/" + ref_.repository + "/blobs/" + digest;
    net::Response r = session_->send(req, repository_scope(ref_.repository, false));
    return r.status == 200;
  } catch (const Error& e) {
    disable(e.what());
    return false;
  }
}

oci::LayerPtr RegistryCacheStore::layer(const CachedLayer& hit) const {
  return std::make_shared<RegistryLayer>(session_, ref_.repository, hit.blob, hit.diff_id);
}

void RegistryCacheStore::fetch(const CachedLayer& hit, const std::string& path) const {
  RegistryLayer rl(session_, ref_.repository, hit.blob, hit.diff_id);
  std::string got = rl.fetch();  // verified against the digest
  if (::link(got.c_str(), path.c_str()) == 0) return;
  FileSource in(got);
  FileSink out(path);
  copy_stream(in, out);
  out.finish();
}

}  // namespace distill::registry
