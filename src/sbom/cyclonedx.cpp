// CycloneDX 1.6 JSON (bom-1.6.schema.json, strict). Trivy reads the one
// operating-system component to pick its vulnerability data, and finds
// packages by purl.
#include <nlohmann/json.hpp>

#include "sbom/writers.h"

namespace distill::sbom {

namespace {

using nlohmann::json;

json cdx_supplier(const std::string& maintainer) {
  auto [name, email] = parse_maintainer(maintainer);
  json j = {{"name", name}};
  if (!email.empty()) j["contact"] = json::array({{{"email", email}}});
  return j;
}

json property(const char* name, const std::string& value) {
  return {{"name", name}, {"value", value}};
}

json component(const SbomPackage& p) {
  json j = {
      {"bom-ref", p.purl},
      {"type", "library"},
      {"name", p.deb.name},
      {"version", p.deb.version},
      {"purl", p.purl},
      {"properties", json::array({
                         property("distill:deb:architecture", p.deb.architecture),
                         property("distill:deb:source", p.deb.source),
                         property("distill:deb:source-version", p.deb.source_version),
                     })},
  };
  if (!p.deb.maintainer.empty()) j["supplier"] = cdx_supplier(p.deb.maintainer);
  if (!p.license.empty()) j["licenses"] = json::array({{{"expression", p.license}}});
  json refs = json::array();
  if (!p.download_location.empty())
    refs.push_back({{"type", "distribution"}, {"url", p.download_location}});
  if (!p.deb.homepage.empty()) refs.push_back({{"type", "website"}, {"url", p.deb.homepage}});
  if (!refs.empty()) j["externalReferences"] = refs;
  if (!p.sha256.empty()) j["hashes"] = json::array({{{"alg", "SHA-256"}, {"content", p.sha256}}});
  return j;
}

std::string artifact_ref(const Artifact& a) {
  return a.kind == Artifact::Kind::kFile ? "file:" + a.location : a.purl;
}

// An upstream: runtime (an application with its tarball's hashes) or a
// files: file.
json artifact_component(const Artifact& a) {
  json hashes = json::array({{{"alg", "SHA-256"}, {"content", a.sha256}}});
  if (!a.sha512.empty()) hashes.push_back({{"alg", "SHA-512"}, {"content", a.sha512}});
  bool file = a.kind == Artifact::Kind::kFile;
  json j = {{"bom-ref", artifact_ref(a)},
            {"type", file ? "file" : "application"},
            {"name", a.name},
            {"hashes", hashes}};
  if (!a.version.empty()) j["version"] = a.version;
  if (!a.purl.empty()) j["purl"] = a.purl;
  if (!file && !a.location.empty())
    j["externalReferences"] = json::array({{{"type", "distribution"}, {"url", a.location}}});
  return j;
}

}  // namespace

std::string to_cyclonedx_json(const Sbom& s) {
  const std::string os_ref = "operating-system:" + s.os.id + "@" + s.os.version;
  json components = json::array();
  json image_deps = json::array();
  if (s.has_os) {
    components.push_back({
        {"bom-ref", os_ref},
        {"type", "operating-system"},
        {"name", s.os.id},
        {"version", s.os.version},
    });
    image_deps.push_back(os_ref);
  }
  json deps = json::array();
  for (const auto& p : s.packages) {
    components.push_back(component(p));
    image_deps.push_back(p.purl);
  }
  for (const auto& a : s.artifacts) {
    components.push_back(artifact_component(a));
    image_deps.push_back(artifact_ref(a));
  }
  deps.push_back({{"ref", s.image_purl}, {"dependsOn", image_deps}});
  if (s.has_os) deps.push_back({{"ref", os_ref}, {"dependsOn", json::array()}});
  for (const auto& p : s.packages) {
    json on = json::array();
    for (size_t to : p.depends_on) on.push_back(s.packages[to].purl);
    deps.push_back({{"ref", p.purl}, {"dependsOn", on}});
  }
  for (const auto& a : s.artifacts)
    deps.push_back({{"ref", artifact_ref(a)}, {"dependsOn", json::array()}});
  json doc = {
      {"bomFormat", "CycloneDX"},
      {"specVersion", "1.6"},
      {"serialNumber", "urn:uuid:" + uuid_v5("distill cyclonedx " + s.image_digest)},
      {"version", 1},
      {"metadata",
       {
           {"timestamp", s.created},
           {"tools",
            {{"components", json::array({{{"type", "application"},
                                          {"name", "distill"},
                                          {"version", DISTILL_VERSION}}})}}},
           {"component",
            {{"bom-ref", s.image_purl},
             {"type", "container"},
             {"name", s.image_name},
             {"version", s.image_digest},
             {"purl", s.image_purl}}},
       }},
      {"components", components},
      {"dependencies", deps},
  };
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace distill::sbom
