#include "oci/referrers.h"

#include <algorithm>

#include "util/error.h"
#include "util/sha256.h"

namespace distill::oci {

namespace {

nlohmann::json referrer_descriptor_json(const Descriptor& d) {
  nlohmann::json j;
  j["mediaType"] = d.media_type;
  j["digest"] = d.digest;
  j["size"] = d.size;
  return j;
}

// The media type without parameters ("; version=1.6"), lower case.
std::string bare_media_type(const std::string& mt) {
  std::string s = mt.substr(0, mt.find(';'));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

const std::string& empty_blob() {
  static const std::string kEmpty = "{}";
  return kEmpty;
}

Descriptor empty_descriptor() {
  Descriptor d;
  d.media_type = kEmptyMediaType;
  d.digest = sha256_digest(empty_blob());
  d.size = static_cast<int64_t>(empty_blob().size());
  return d;
}

ArtifactManifest make_artifact(const Descriptor& subject, const Attachment& a) {
  if (a.artifact_type.empty()) throw Error("internal: an attachment without an artifact type");
  ArtifactManifest out;
  out.blob.media_type = a.artifact_type;
  out.blob.digest = sha256_digest(a.content);
  out.blob.size = static_cast<int64_t>(a.content.size());
  nlohmann::json layer = referrer_descriptor_json(out.blob);
  if (!a.title.empty()) {
    out.blob.annotations["org.opencontainers.image.title"] = a.title;
    layer["annotations"] = out.blob.annotations;
  }
  nlohmann::json m;
  m["schemaVersion"] = 2;
  m["mediaType"] = kOciManifest;
  m["artifactType"] = a.artifact_type;
  m["config"] = referrer_descriptor_json(empty_descriptor());
  m["layers"] = nlohmann::json::array({layer});
  m["subject"] = referrer_descriptor_json(subject);
  out.raw = canonical_json(m);
  out.descriptor.media_type = kOciManifest;
  out.descriptor.artifact_type = a.artifact_type;
  out.descriptor.digest = sha256_digest(out.raw);
  out.descriptor.size = static_cast<int64_t>(out.raw.size());
  return out;
}

ParsedArtifact parse_artifact(const std::string& raw, const std::string& what) {
  nlohmann::json j = parse_json(raw, what);
  if (!j.is_object()) throw Error(what + " is not a JSON object");
  ParsedArtifact p;
  p.artifact_type = json_string(j, "artifactType", "", what);
  if (auto c = j.find("config"); c != j.end() && c->is_object() && p.artifact_type.empty()) {
    std::string cmt = json_string(*c, "mediaType", "", what + " config");
    if (cmt != kOciConfig && cmt != kDockerConfig) p.artifact_type = cmt;
  }
  if (auto s = j.find("subject"); s != j.end())
    p.subject = Descriptor::from_json(*s, what + " subject");
  auto layers = j.find("layers");
  if (layers == j.end() || !layers->is_array() || layers->empty())
    throw Error(what + " has no layers: it carries no document");
  for (size_t i = 0; i < layers->size(); ++i)
    p.layers.push_back(
        Descriptor::from_json((*layers)[i], what + " layers[" + std::to_string(i) + "]"));
  return p;
}

std::string referrers_tag(const std::string& digest) {
  size_t colon = digest.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == digest.size())
    throw Error("'" + digest + "' is not a digest (expected ALGORITHM:HEX)");
  std::string algo = digest.substr(0, std::min<size_t>(colon, 32));
  std::string hex = digest.substr(colon + 1, 64);
  std::string tag = algo + "-" + hex;
  for (char& c : tag) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) c = '-';
  }
  return tag;
}

std::string referrers_index(const std::vector<Descriptor>& entries) {
  nlohmann::json j;
  j["schemaVersion"] = 2;
  j["mediaType"] = kOciIndex;
  j["manifests"] = nlohmann::json::array();
  for (const auto& e : entries) j["manifests"].push_back(e.to_json());
  return canonical_json(j);
}

std::vector<Descriptor> parse_referrers_index(const std::string& raw, const std::string& what) {
  nlohmann::json j = parse_json(raw, what);
  if (!j.is_object()) throw Error(what + " is not a JSON object");
  auto m = j.find("manifests");
  if (m == j.end() || !m->is_array()) throw Error(what + " is not an image index (no manifests)");
  std::vector<Descriptor> out;
  for (size_t i = 0; i < m->size(); ++i)
    out.push_back(Descriptor::from_json((*m)[i], what + " manifests[" + std::to_string(i) + "]"));
  return out;
}

std::string sniff_artifact_type(const std::string& content) {
  if (!nlohmann::json::accept(content)) return "";
  nlohmann::json j = nlohmann::json::parse(content);
  if (!j.is_object()) return "";
  if (j.contains("spdxVersion")) return kSpdxJson;
  if (j.value("bomFormat", nlohmann::json()) == "CycloneDX") return kCycloneDxJson;
  auto type = j.find("_type");
  if (type != j.end() && type->is_string() &&
      type->get<std::string>().rfind("https://in-toto.io/Statement/", 0) == 0)
    return kInTotoJson;
  return "";
}

std::string sbom_format_of(const std::string& media_type) {
  std::string mt = bare_media_type(media_type);
  if (mt == kSpdxJson || mt == "text/spdx+json") return "spdx-json";
  if (mt == kCycloneDxJson) return "cyclonedx-json";
  return "";
}

}  // namespace distill::oci
