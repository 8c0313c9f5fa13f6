#include "registry/referrers.h"

#include "registry/base64.h"
#include "registry/pull.h"
#include "registry/push.h"
#include "util/error.h"
#include "util/log.h"
#include "util/sha256.h"

namespace distill::registry {

namespace {

constexpr int64_t kMaxReferrerDocument = 64 << 20;
constexpr const char* kDsseEnvelope = "application/vnd.dsse.envelope.v1+json";

// GET /v2/REPO/manifests/TAG: the raw document, or nullopt on 404.
std::optional<RawManifest> manifest_if_any(Session& s, const std::string& repository,
                                           const std::string& tag) {
  net::Request req;
  req.url = "/v2/" + repository + "/manifests/" + tag;
  req.headers.set("Accept", kManifestAccept);
  net::Response r = s.send(req, repository_scope(repository, false));
  if (r.status == 404) return std::nullopt;
  if (r.status != 200) s.fail(r, "fetching " + s.registry() + "/" + repository + ":" + tag);
  RawManifest m;
  m.raw = std::move(r.body);
  m.digest = sha256_digest(m.raw);
  m.media_type = r.headers.get("Content-Type").value_or("");
  return m;
}

// The referrers API's index, or nullopt where the registry has no such API
// (404, as docker-registry 2.8 answers, or another 4xx but 401/403).
std::optional<std::vector<oci::Descriptor>> referrers_api(Session& s, const std::string& repository,
                                                          const std::string& subject) {
  net::Request req;
  req.url = "/v2/" + repository + "/referrers/" + subject;
  req.headers.set("Accept", oci::kOciIndex);
  net::Response r = s.send(req, repository_scope(repository, false));
  std::string what = "referrers of " + s.registry() + "/" + repository + "@" + subject;
  if (r.status == 401 || r.status == 403 || r.status >= 500) s.fail(r, "listing " + what);
  if (r.status != 200) return std::nullopt;
  // A 200 that is no index (a proxy's HTML page) is no referrers API either.
  if (!nlohmann::json::accept(r.body)) return std::nullopt;
  return oci::parse_referrers_index(r.body, what);
}

void add_tag_index(Session& s, const std::string& repository, const std::string& subject,
                   std::vector<FoundReferrer>& out) {
  std::string tag = oci::referrers_tag(subject);
  auto m = manifest_if_any(s, repository, tag);
  if (!m) return;
  for (auto& d : oci::parse_referrers_index(m->raw, s.registry() + "/" + repository + ":" + tag))
    out.push_back({std::move(d), "tag " + tag});
}

// cosign's tags: an image manifest whose layers are the documents.
void add_cosign_tags(Session& s, const std::string& repository, const std::string& subject,
                     std::vector<FoundReferrer>& out) {
  for (const char* suffix : {".sbom", ".att"}) {
    std::string tag = oci::referrers_tag(subject) + suffix;
    auto m = manifest_if_any(s, repository, tag);
    if (!m) continue;
    oci::ParsedArtifact a =
        oci::parse_artifact(m->raw, s.registry() + "/" + repository + ":" + tag);
    oci::Descriptor d;
    d.media_type = oci::kOciManifest;
    d.digest = m->digest;
    d.size = static_cast<int64_t>(m->raw.size());
    d.artifact_type =
        a.layers[0].media_type == kDsseEnvelope ? oci::kInTotoJson : a.layers[0].media_type;
    out.push_back({d, "cosign tag " + tag});
  }
}

std::string fetch_blob(Session& s, const std::string& repository, const oci::Descriptor& d) {
  std::string where = s.registry() + "/" + repository;
  if (d.size > kMaxReferrerDocument)
    throw Error("attached document " + d.digest + " of " + where + " is larger than 64 MiB");
  net::Request req;
  req.url = "/v2/" + repository + "/blobs/" + d.digest;
  net::Response r = s.send(req, repository_scope(repository, false));
  if (r.status != 200) s.fail(r, "downloading attached document " + d.digest + " of " + where);
  if (sha256_digest(r.body) != d.digest || static_cast<int64_t>(r.body.size()) != d.size)
    throw Error(ErrorKind::kIntegrity,
                "attached document " + d.digest + " of " + where + " is corrupt");
  return std::move(r.body);
}

// The in-toto statement inside a DSSE envelope ({"payload": base64}).
std::string dsse_payload(const std::string& envelope, const std::string& what) {
  nlohmann::json j = oci::parse_json(envelope, what);
  std::string payload = oci::json_string(j, "payload", "", what);
  auto decoded = base64_decode(payload);
  if (payload.empty() || !decoded) throw Error(what + ": the DSSE envelope has no base64 payload");
  return *decoded;
}

}  // namespace

std::vector<FoundReferrer> list_referrers(Session& session, const std::string& repository,
                                          const std::string& subject) {
  std::vector<FoundReferrer> out;
  if (auto api = referrers_api(session, repository, subject)) {
    for (auto& d : *api) out.push_back({std::move(d), "referrers API"});
  } else {
    add_tag_index(session, repository, subject, out);
  }
  add_cosign_tags(session, repository, subject, out);
  return out;
}

std::string fetch_referrer_document(Session& session, const std::string& repository,
                                    const oci::Descriptor& manifest) {
  RawManifest m = fetch_manifest(session, repository, manifest.digest);
  std::string what = "artifact " + session.registry() + "/" + repository + "@" + manifest.digest;
  oci::ParsedArtifact a = oci::parse_artifact(m.raw, what);
  std::string doc = fetch_blob(session, repository, a.layers[0]);
  if (a.layers[0].media_type == kDsseEnvelope) return dsse_payload(doc, what);
  return doc;
}

std::vector<oci::Descriptor> attach_referrers(const std::shared_ptr<Session>& session,
                                              const ImageRef& ref, const oci::Descriptor& subject,
                                              const std::vector<oci::Attachment>& items,
                                              std::string* where) {
  std::vector<oci::Descriptor> pushed;
  bool indexed = true;
  push_blob(session, ref, oci::empty_descriptor(), nullptr, oci::empty_blob());
  for (const auto& item : items) {
    oci::ArtifactManifest m = oci::make_artifact(subject, item);
    push_blob(session, ref, m.blob, nullptr, item.content);
    std::string acked = push_manifest(session, ref, m.raw, oci::kOciManifest, m.descriptor.digest);
    if (acked != subject.digest) indexed = false;
    pushed.push_back(m.descriptor);
  }
  if (indexed) {
    if (where) *where = "referrers API";
    return pushed;
  }
  // No referrers API: the tag schema, read-modify-write (the spec leaves
  // races to clients; one build attaches everything in one write).
  std::string tag = oci::referrers_tag(subject.digest);
  std::vector<oci::Descriptor> entries;
  if (auto m = manifest_if_any(*session, ref.repository, tag))
    entries = oci::parse_referrers_index(m->raw, ref.name() + ":" + tag);
  bool changed = false;
  for (const auto& d : pushed) {
    bool listed = false;
    for (const auto& e : entries) listed = listed || e.digest == d.digest;
    if (listed) continue;
    entries.push_back(d);
    changed = true;
  }
  if (changed) push_manifest(session, ref, oci::referrers_index(entries), oci::kOciIndex, tag);
  log_verbose("referrers of " + subject.digest + " in " + ref.name() + ": tag " + tag + " lists " +
              std::to_string(entries.size()));
  if (where) *where = "tag " + tag;
  return pushed;
}

}  // namespace distill::registry
