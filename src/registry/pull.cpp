#include "registry/pull.h"

#include <unistd.h>

#include <atomic>
#include <map>

#include "registry/url.h"
#include "util/error.h"
#include "util/log.h"
#include "util/retry.h"
#include "util/sha256.h"

namespace distill::registry {

const char* const kManifestAccept =
    "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json";

namespace {

constexpr size_t kMaxManifest = 4 << 20;  // the distribution spec's limit
constexpr int64_t kMaxConfig = 16 << 20;

std::string blob_path(const std::string& repository, const std::string& digest) {
  return "/v2/" + repository + "/blobs/" + digest;
}

// A unique name for a download in progress (parallel fetches of one blob
// must not share a file).
std::string part_name(const std::string& base) {
  static std::atomic<uint64_t> counter{0};
  return base + ".part-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

std::string media_type_of(const nlohmann::json& j, const std::string& content_type) {
  if (j.is_object() && j.contains("mediaType") && j["mediaType"].is_string())
    return j["mediaType"].get<std::string>();
  std::string ct = content_type.substr(0, content_type.find(';'));
  if (oci::is_index_media_type(ct) || oci::is_manifest_media_type(ct)) return ct;
  // OCI documents may omit mediaType; tell them apart by shape.
  if (j.is_object() && j.contains("manifests")) return oci::kOciIndex;
  return oci::kOciManifest;
}

std::string corrupt_message(const std::string& digest, const std::string& where,
                            const std::string& actual, int64_t size, int64_t want) {
  if (size != want && want >= 0) {
    return "blob " + digest + " of " + where + " is corrupt: the registry sent " +
           std::to_string(size) + " bytes, its descriptor says " + std::to_string(want);
  }
  return "blob " + digest + " of " + where +
         " is corrupt: the registry sent content that hashes to " + actual;
}

}  // namespace

RawManifest fetch_manifest(Session& session, const std::string& repository,
                           const std::string& reference) {
  std::string name = session.registry() + "/" + repository +
                     (reference.rfind("sha256:", 0) == 0 ? "@" : ":") + reference;
  net::Request req;
  req.url = "/v2/" + repository + "/manifests/" + reference;
  req.headers.set("Accept", kManifestAccept);
  net::Response r = session.send(req, repository_scope(repository, false));
  if (r.status == 404) {
    throw Error("manifest " + name + " not found (" +
                (registry_error_text(r.body).empty() ? "HTTP 404" : registry_error_text(r.body)) +
                ")");
  }
  if (r.status != 200) session.fail(r, "fetching manifest " + name);
  if (r.body.size() > kMaxManifest) throw Error("manifest " + name + " is larger than 4 MiB");
  RawManifest m;
  m.raw = std::move(r.body);
  m.digest = sha256_digest(m.raw);
  std::string expect = reference.rfind("sha256:", 0) == 0
                           ? reference
                           : r.headers.get("Docker-Content-Digest").value_or("");
  if (expect.rfind("sha256:", 0) == 0 && expect != m.digest) {
    throw Error(ErrorKind::kIntegrity, "manifest " + name + " is corrupt: its content hashes to " +
                                           m.digest + ", not " + expect);
  }
  nlohmann::json j = oci::parse_json(m.raw, "manifest " + name);
  if (j.is_object() && j.value("schemaVersion", 0) == 1) {
    throw Error("manifest " + name +
                " is a Docker schema 1 manifest, which distill does not read (re-push it with a "
                "current client)");
  }
  m.media_type = media_type_of(j, r.headers.get("Content-Type").value_or(""));
  return m;
}

// ---- RegistryLayer ---------------------------------------------------------

std::string RegistryLayer::cache_path() const {
  return join_path(session_->blob_dir(), digest_hex(desc_.digest, "layer digest"));
}

std::string RegistryLayer::fetch() const {
  std::string path = cache_path();
  if (path_exists(path)) return path;
  std::string where = session_->registry() + "/" + repository_;
  Backoff backoff(RetryPolicy{session_->options().retries, session_->options().backoff_ms});
  for (;;) {
    std::string part = part_name(path);
    try {
      net::Request req;
      req.url = blob_path(repository_, desc_.digest);
      net::Response r;
      std::string actual;
      int64_t got = 0;
      {
        FileSink file(part);
        DigestSink hashed(&file);
        r = session_->send(req, repository_scope(repository_, false), &hashed);
        if (r.status == 200) {
          hashed.finish();
          actual = hashed.digest();
          got = static_cast<int64_t>(hashed.size());
        }
      }
      if (r.status != 200) {
        ::unlink(part.c_str());
        if (r.status == 404)
          throw Error(ErrorKind::kNotFound,
                      "blob " + desc_.digest + " of " + where + " is missing");
        session_->fail(r, "downloading blob " + desc_.digest + " of " + where);
      }
      if (actual != desc_.digest || got != desc_.size) {
        ::unlink(part.c_str());
        throw Error(ErrorKind::kIntegrity,
                    corrupt_message(desc_.digest, where, actual, got, desc_.size));
      }
      if (::rename(part.c_str(), path.c_str()) != 0) throw_errno("cannot store blob", path);
      return path;
    } catch (const Error& e) {
      ::unlink(part.c_str());
      // Only a dropped transfer is worth repeating; a wrong blob is final.
      if (!is_transient(e) || backoff.exhausted()) throw;
      backoff.wait("blob " + desc_.digest, e.what());
    }
  }
}

std::unique_ptr<ByteSource> RegistryLayer::open_blob() const {
  return oci::verify_source(
      std::make_unique<FileSource>(fetch()), desc_.digest, desc_.size,
      "blob " + desc_.digest + " of " + session_->registry() + "/" + repository_);
}

// ---- RegistryImage ---------------------------------------------------------

RegistryImage::RegistryImage(std::shared_ptr<Session> session, std::string repository,
                             std::string reference, std::string name)
    : session_(std::move(session)),
      repository_(std::move(repository)),
      reference_(std::move(reference)),
      name_(std::move(name)) {}

RegistryImage::RegistryImage(std::shared_ptr<Session> session, std::string repository,
                             RawManifest manifest, std::string name)
    : session_(std::move(session)),
      repository_(std::move(repository)),
      reference_(manifest.digest),
      name_(std::move(name)) {
  manifest_ = std::move(manifest.raw);
}

void RegistryImage::load() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (loaded_) return;
  if (manifest_.empty()) {
    RawManifest m = fetch_manifest(*session_, repository_, reference_);
    if (!oci::is_manifest_media_type(m.media_type))
      throw Error(name_ + " is a " + m.media_type + ", not an image manifest");
    manifest_ = std::move(m.raw);
  }
  auto m = oci::parse_json(manifest_, "manifest " + name_);
  if (!m.is_object() || !m.contains("config") || !m.contains("layers") || !m["layers"].is_array()) {
    throw Error("manifest " + name_ + " lacks config or layers");
  }
  oci::Descriptor cd = oci::Descriptor::from_json(m["config"], "manifest " + name_ + " config");
  if (cd.size > kMaxConfig) throw Error("config of " + name_ + " is larger than 16 MiB");
  net::Request req;
  req.url = blob_path(repository_, cd.digest);
  net::Response r = session_->send(req, repository_scope(repository_, false));
  if (r.status != 200) session_->fail(r, "downloading config " + cd.digest + " of " + name_);
  std::string actual = sha256_digest(r.body);
  if (actual != cd.digest || static_cast<int64_t>(r.body.size()) != cd.size) {
    throw Error(ErrorKind::kIntegrity,
                corrupt_message(cd.digest, session_->registry() + "/" + repository_, actual,
                                static_cast<int64_t>(r.body.size()), cd.size));
  }
  config_ = std::move(r.body);
  auto c = oci::parse_json(config_, "config of " + name_);
  nlohmann::json diff_ids = nlohmann::json::array();
  if (c.is_object() && c.contains("rootfs") && c["rootfs"].is_object())
    diff_ids = c["rootfs"].value("diff_ids", nlohmann::json::array());
  if (!diff_ids.is_array() || diff_ids.size() != m["layers"].size()) {
    throw Error(name_ + " has " + std::to_string(m["layers"].size()) +
                " layers but its config lists " + std::to_string(diff_ids.size()) + " diff_ids");
  }
  std::vector<oci::LayerPtr> layers;
  for (size_t i = 0; i < m["layers"].size(); ++i) {
    oci::Descriptor ld = oci::Descriptor::from_json(
        m["layers"][i], "manifest " + name_ + " layers[" + std::to_string(i) + "]");
    if (!diff_ids[i].is_string())
      throw Error(name_ + ": config diff_ids[" + std::to_string(i) + "] is not a string");
    layers.push_back(
        std::make_shared<RegistryLayer>(session_, repository_, ld, diff_ids[i].get<std::string>()));
  }
  layers_ = std::move(layers);
  loaded_ = true;
}

std::string RegistryImage::raw_manifest() const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!manifest_.empty()) return manifest_;
  }
  load();
  return manifest_;
}

std::string RegistryImage::raw_config() const {
  load();
  return config_;
}

std::vector<oci::LayerPtr> RegistryImage::layers() const {
  load();
  return layers_;
}

// ---- artifacts -------------------------------------------------------------

oci::Artifact fetch_artifact(const std::shared_ptr<Session>& session, const ImageRef& ref) {
  RawManifest m = fetch_manifest(*session, ref.repository, ref.reference());
  oci::Artifact a;
  if (oci::is_index_media_type(m.media_type)) {
    auto j = oci::parse_json(m.raw, "index " + ref.to_string());
    if (!j.is_object() || !j.contains("manifests") || !j["manifests"].is_array())
      throw Error("index " + ref.to_string() + " has no manifests array");
    std::vector<oci::IndexEntry> entries;
    size_t i = 0;
    for (auto& item : j["manifests"]) {
      oci::Descriptor d = oci::Descriptor::from_json(
          item, "index " + ref.to_string() + " manifests[" + std::to_string(i++) + "]");
      oci::IndexEntry e{d, nullptr};
      if (oci::is_manifest_media_type(d.media_type) || d.media_type.empty()) {
        e.image = std::make_shared<RegistryImage>(session, ref.repository, d.digest,
                                                  ref.name() + "@" + d.digest);
      }
      entries.push_back(std::move(e));
    }
    a.index = std::make_shared<oci::MemoryIndex>(m.raw, std::move(entries));
  } else if (oci::is_manifest_media_type(m.media_type)) {
    a.image =
        std::make_shared<RegistryImage>(session, ref.repository, std::move(m), ref.to_string());
  } else {
    throw Error(ref.to_string() + " is a " + m.media_type + ", not an image or an index");
  }
  return a;
}

void prefetch_layers(const std::vector<oci::LayerPtr>& layers, int parallel, Progress* progress) {
  // One download per blob, however many images share it.
  std::map<std::string, const RegistryLayer*> todo;
  for (const auto& l : layers) {
    auto* rl = dynamic_cast<const RegistryLayer*>(l.get());
    if (!rl || path_exists(rl->cache_path())) continue;
    todo.emplace(rl->descriptor().digest, rl);
  }
  if (todo.empty()) return;
  std::vector<const RegistryLayer*> items;
  std::vector<net::Download> downloads;
  for (auto& [digest, rl] : todo) {
    Session& s = *rl->session();
    net::Download d;
    d.url = s.base_url() + blob_path(rl->repository(), digest);
    d.path = part_name(rl->cache_path());
    std::string auth = s.authorization(repository_scope(rl->repository(), false));
    if (!auth.empty()) d.headers.set("Authorization", auth);
    d.expected_size = static_cast<uint64_t>(rl->descriptor().size);
    items.push_back(rl);
    downloads.push_back(std::move(d));
  }
  net::Client client(items[0]->session()->client_options());
  std::vector<std::string> errors;
  log_verbose("downloading " + std::to_string(downloads.size()) + " blobs, " +
              std::to_string(parallel) + " at a time");
  client.download_all(downloads, std::clamp(parallel, 1, 4), progress, &errors);
  for (size_t i = 0; i < items.size(); ++i) {
    const RegistryLayer& rl = *items[i];
    const std::string& part = downloads[i].path;
    oci::Descriptor d = rl.descriptor();
    std::string where = rl.session()->registry() + "/" + rl.repository();
    if (!errors[i].empty()) {
      // Perhaps a token expired: the one-at-a-time path re-authenticates.
      ::unlink(part.c_str());
      log_verbose("parallel download failed (" + errors[i] + "), fetching " + d.digest + " alone");
      rl.fetch();
      continue;
    }
    FileSource in(part);
    int64_t size = static_cast<int64_t>(in.size());
    std::string actual = "sha256:" + sha256_file_hex(part);
    if (actual != d.digest || size != d.size) {
      ::unlink(part.c_str());
      throw Error(ErrorKind::kIntegrity, corrupt_message(d.digest, where, actual, size, d.size));
    }
    if (::rename(part.c_str(), rl.cache_path().c_str()) != 0)
      throw_errno("cannot store blob", rl.cache_path());
  }
}

}  // namespace distill::registry
