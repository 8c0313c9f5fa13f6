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
  if (!p.deb.homepage.empty())
    j["externalReferences"] = json::array({{{"type", "website"}, {"url", p.deb.homepage}}});
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
  deps.push_back({{"ref", s.image_purl}, {"dependsOn", image_deps}});
  if (s.has_os) deps.push_back({{"ref", os_ref}, {"dependsOn", json::array()}});
  for (const auto& p : s.packages) {
    json on = json::array();
    for (size_t to : p.depends_on) on.push_back(s.packages[to].purl);
    deps.push_back({{"ref", p.purl}, {"dependsOn", on}});
  }
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
