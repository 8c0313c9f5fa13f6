#include "sbom/dependencies.h"

#include <algorithm>
#include <map>
#include <optional>

#include "debian/package.h"
#include "debian/relation.h"
#include "util/error.h"

namespace distill::sbom {

namespace {

struct Candidate {
  debian::Package pkg;  // the fields the relation rules read
  std::vector<debian::Relation> provides;
};

// The package in the image that satisfies one alternative: a real package
// of that name first, else the first provider in name order.
std::optional<size_t> satisfier(const std::vector<Candidate>& c,
                                const std::multimap<std::string, size_t>& by_name,
                                const std::multimap<std::string, size_t>& by_provides,
                                const debian::Relation& rel, const debian::RelationContext& ctx) {
  auto [a, b] = by_name.equal_range(rel.name);
  for (auto it = a; it != b; ++it) {
    if (debian::satisfies_directly(c[it->second].pkg, rel, ctx)) return it->second;
  }
  auto [pa, pb] = by_provides.equal_range(rel.name);
  for (auto it = pa; it != pb; ++it) {
    const Candidate& p = c[it->second];
    if (debian::satisfies_via_provides(p.pkg, p.provides, rel, ctx)) return it->second;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::pair<size_t, size_t>> dependency_edges(
    const std::vector<InstalledPackage>& packages, const std::string& native_arch,
    std::vector<std::string>* problems) {
  std::vector<Candidate> c(packages.size());
  std::multimap<std::string, size_t> by_name, by_provides;
  for (size_t i = 0; i < packages.size(); ++i) {
    const InstalledPackage& p = packages[i];
    c[i].pkg.name = p.name;
    c[i].pkg.version = p.version;
    c[i].pkg.architecture = p.architecture;
    c[i].pkg.multi_arch = p.multi_arch;
    by_name.emplace(p.name, i);
    try {
      c[i].provides = debian::parse_provides(p.provides, p.record + " (" + p.name + " Provides)");
    } catch (const Error& e) {
      if (problems) problems->push_back(e.what());
    }
    for (const auto& v : c[i].provides) by_provides.emplace(v.name, i);
  }
  std::vector<std::pair<size_t, size_t>> edges;
  for (size_t i = 0; i < packages.size(); ++i) {
    const InstalledPackage& p = packages[i];
    debian::RelationContext ctx{p.architecture, native_arch, false};
    for (const auto* field : {&p.pre_depends, &p.depends}) {
      std::vector<debian::RelationGroup> groups;
      try {
        groups = debian::parse_relations(*field, p.record + " (" + p.name + ")");
      } catch (const Error& e) {
        if (problems) problems->push_back(e.what());
        continue;
      }
      for (const auto& group : groups) {
        for (const auto& rel : group) {
          auto to = satisfier(c, by_name, by_provides, rel, ctx);
          if (!to) continue;
          if (*to != i) edges.emplace_back(i, *to);
          break;
        }
      }
    }
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

}  // namespace distill::sbom
