#include "sbom/attached.h"

#include "inspect/attached.h"
#include "oci/referrers.h"

namespace distill::sbom {

namespace {

// The format an in-toto predicate type names (SPDX's and CycloneDX's own URIs).
std::string predicate_format(const std::string& type) {
  if (type.rfind("https://spdx.dev/Document", 0) == 0) return "spdx-json";
  if (type.rfind("https://cyclonedx.org/bom", 0) == 0) return "cyclonedx-json";
  return "";
}

}  // namespace

std::optional<AttachedSbom> find_attached_sbom(const inspect::Target& t, const std::string& format,
                                               const registry::RegistryOptions& registry) {
  auto store = transport::open_referrers(t.ref, registry);
  if (!store) return std::nullopt;
  for (const auto& a : inspect::list_attached(t, *store)) {
    const std::string& type = a.found.manifest.artifact_type;
    if (oci::sbom_format_of(type) == format)
      return AttachedSbom{store->document(a.found), a.found.manifest.digest, a.found.source};
    if (type != oci::kInTotoJson) continue;
    std::string doc = store->document(a.found);
    nlohmann::json st = oci::parse_json(doc, "attestation " + a.found.manifest.digest);
    std::string pt = oci::json_string(st, "predicateType", "", "attestation");
    if (predicate_format(pt) == format && st.contains("predicate") && st["predicate"].is_object())
      return AttachedSbom{st["predicate"].dump(), a.found.manifest.digest, a.found.source};
  }
  return std::nullopt;
}

}  // namespace distill::sbom
