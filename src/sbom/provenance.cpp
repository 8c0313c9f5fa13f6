#include "sbom/provenance.h"

#include <nlohmann/json.hpp>

#include "util/sha256.h"

namespace distill::sbom {

namespace {

using nlohmann::json;

json resource_json(const ProvenanceResource& r) {
  json digest = {{"sha256", r.sha256}};
  if (!r.sha512.empty()) digest["sha512"] = r.sha512;
  json j = {{"name", r.name}, {"uri", r.uri}, {"digest", digest}};
  if (!r.annotations.empty()) j["annotations"] = r.annotations;
  return j;
}

}  // namespace

std::string to_provenance_json(const Provenance& p) {
  json subjects = json::array();
  for (const auto& s : p.subjects) {
    std::string hex = s.digest.substr(s.digest.find(':') + 1);
    subjects.push_back({{"name", s.name}, {"digest", {{"sha256", hex}}}});
  }
  json definition = {{"name", p.definition},
                     {"path", p.definition_path},
                     {"content", p.definition_text},
                     {"digest", {{"sha256", sha256_hex(p.definition_text)}}}};
  json external = {{"definition", definition}, {"flags", p.flags}};
  if (!p.lockfile_path.empty()) {
    external["lockfile"] = {{"path", p.lockfile_path},
                            {"content", p.lockfile_text},
                            {"digest", {{"sha256", sha256_hex(p.lockfile_text)}}}};
  }
  json deps = json::array();
  for (const auto& r : p.dependencies) deps.push_back(resource_json(r));
  json statement = {
      {"_type", "https://in-toto.io/Statement/v1"},
      {"subject", subjects},
      {"predicateType", "https://slsa.dev/provenance/v1"},
      {"predicate",
       {{"buildDefinition",
         {{"buildType", "urn:distill:build:v1"},
          {"externalParameters", external},
          {"internalParameters", json::object()},
          {"resolvedDependencies", deps}}},
        {"runDetails",
         {{"builder", {{"id", "urn:distill:builder"}, {"version", {{"distill", DISTILL_VERSION}}}}},
          {"metadata", {{"startedOn", p.started_on}, {"finishedOn", p.started_on}}}}}}},
  };
  return statement.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace distill::sbom
