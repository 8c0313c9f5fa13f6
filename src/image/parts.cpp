#include "image/parts.h"

#include <algorithm>

#include "util/error.h"

namespace distill {

namespace {

// The registry: one line per kind.
const PartKind* const kKinds[] = {
    &kPackagesPart,  &kCaBundlePart,  &kExtractPart,  &kJavaKeystorePart,
    &kBusyboxPart,   &kGeneratedPart, &kRootfsPart,   &kPasswdPart,
    &kHomePart,      &kGroupPart,     &kTmpPart,      &kNsswitchPart,
    &kOsReleasePart, &kLdCachePart,   &kUpstreamPart, &kAppPart,
};

const PartKind* find_kind(const std::string& name) {
  for (const PartKind* k : kKinds) {
    if (name == k->name) return k;
  }
  return nullptr;
}

std::string kind_list() {
  std::string out;
  for (const PartKind* k : kKinds) out += std::string(out.empty() ? "" : ", ") + k->name;
  return out;
}

// The kinds parts: lists, checked: all known, and every wanted one listed.
std::vector<const PartKind*> listed_kinds(const Definition& def) {
  std::string at = def.parts_where.empty() ? def.path : def.parts_where;
  std::vector<const PartKind*> out;
  for (const auto& name : def.parts) {
    const PartKind* k = find_kind(name);
    if (!k)
      throw Error(at + ": unknown part '" + name + "' in parts: (known: " + kind_list() + ")");
    out.push_back(k);
  }
  for (const PartKind* k : kKinds) {
    if (k->wanted(def) && std::find(out.begin(), out.end(), k) == out.end()) {
      throw Error(at + ": parts: does not list '" + k->name +
                  "', which the definition needs (the family rules, "
                  "images/common/family.yaml, list every part)");
    }
  }
  return out;
}

}  // namespace

std::span<const PartKind* const> part_kinds() {
  return kKinds;
}

std::vector<std::string> part_sources(const Definition& def) {
  std::vector<std::string> out;
  for (const PartKind* k : listed_kinds(def)) k->sources(def, out);
  return out;
}

std::vector<LayerJob> part_jobs(const PartInput& in) {
  std::vector<LayerJob> out;
  for (const PartKind* k : listed_kinds(in.def)) k->jobs(in, out);
  return out;
}

void add_source(const Definition& def, const std::string& name, std::vector<std::string>& out) {
  for (const auto& p : def.packages) {
    if (p.name == name) return;
  }
  if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
}

std::string rule_package(const Definition& def, const std::optional<std::string>& name,
                         const char* key) {
  if (name && !name->empty()) return *name;
  throw Error((def.path.empty() ? std::string("the definition") : def.path) + ": " + key +
              " is not set; the family rules (images/common/family.yaml) name it");
}

std::string key_origin(const Definition& def, const std::string& key) {
  auto it = def.key_where.find(key);
  if (it != def.key_where.end() && !it->second.empty()) return key + " at " + it->second;
  return key + " in " + (def.path.empty() ? std::string("the definition") : def.path);
}

}  // namespace distill
