#include "inspect/attached.h"

namespace distill::inspect {

std::vector<AttachedArtifact> list_attached(const Target& t, transport::ReferrerStore& store) {
  std::vector<AttachedArtifact> out;
  std::vector<std::string> subjects = {t.image->digest()};
  if (!t.index_digest.empty()) subjects.push_back(t.index_digest);
  for (const auto& subject : subjects)
    for (auto& a : store.list(subject)) out.push_back({std::move(a), subject});
  return out;
}

std::vector<AttachedArtifact> list_attached(const Target& t,
                                            const registry::RegistryOptions& registry) {
  auto store = transport::open_referrers(t.ref, registry);
  if (!store) return {};
  return list_attached(t, *store);
}

nlohmann::json attached_json(const std::vector<AttachedArtifact>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : list) {
    out.push_back({{"artifact_type", a.found.manifest.artifact_type},
                   {"digest", a.found.manifest.digest},
                   {"size", a.found.manifest.size},
                   {"subject", a.subject},
                   {"source", a.found.source}});
  }
  return out;
}

}  // namespace distill::inspect
