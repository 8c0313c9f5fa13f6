#include "registry/pull.h"

#include <unistd.h>

#include <atomic>
#include <map>

#include "oci/partial.h"
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

// ---- images through the shared adapter -------------------------------------

namespace {

// Manifests by digest from /manifests/, configs and layers from /blobs/.
class RegistryFetcher : public oci::BlobFetcher {
 public:
  RegistryFetcher(std::shared_ptr<Session> session, std::string repository)
      : session_(std::move(session)), repository_(std::move(repository)) {}
  std::string where() const override { return session_->registry() + "/" + repository_; }
  std::string fetch_manifest(const oci::Descriptor& d) const override {
    return registry::fetch_manifest(*session_, repository_, d.digest).raw;
  }
  std::string fetch_config(const oci::Descriptor& cd) const override;
  oci::LayerPtr layer(const oci::Descriptor& d, const std::string& diff_id) const override {
    return std::make_shared<RegistryLayer>(session_, repository_, d, diff_id);
  }

 private:
  std::shared_ptr<Session> session_;
  std::string repository_;
};

std::string RegistryFetcher::fetch_config(const oci::Descriptor& cd) const {
  if (cd.size > kMaxConfig)
    throw Error("config " + cd.digest + " of " + where() + " is larger than 16 MiB");
  net::Request req;
  req.url = blob_path(repository_, cd.digest);
  net::Response r = session_->send(req, repository_scope(repository_, false));
  if (r.status != 200) session_->fail(r, "downloading config " + cd.digest + " of " + where());
  std::string actual = sha256_digest(r.body);
  if (actual != cd.digest || static_cast<int64_t>(r.body.size()) != cd.size) {
    throw Error(
        ErrorKind::kIntegrity,
        corrupt_message(cd.digest, where(), actual, static_cast<int64_t>(r.body.size()), cd.size));
  }
  return std::move(r.body);
}

}  // namespace

// ---- artifacts -------------------------------------------------------------

oci::Artifact fetch_artifact(const std::shared_ptr<Session>& session, const ImageRef& ref) {
  RawManifest m = fetch_manifest(*session, ref.repository, ref.reference());
  auto f = std::make_shared<RegistryFetcher>(session, ref.repository);
  oci::Descriptor top;
  top.media_type = m.media_type;
  top.digest = m.digest;
  top.size = static_cast<int64_t>(m.raw.size());
  return oci::artifact_from(f, top, std::move(m.raw), ref.to_string(), false);
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
