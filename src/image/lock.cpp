#include "image/lock.h"

#include <algorithm>

#include "image/parts.h"
#include "image/selection.h"
#include "util/log.h"

namespace distill {

debian::Lockfile lock_definition(const Definition& def, const SourceOptions& opts,
                                 const std::vector<std::string>& arches) {
  PackageSelector selector(def, opts);
  std::vector<std::string> sources = part_sources(def);
  debian::Lockfile lock;
  for (const auto& arch : arches) {
    Selection sel = selector.select(arch, sources);
    for (const auto& w : sel.warnings) log_warn(w);
    auto& list = lock.packages[arch];
    for (const auto& p : sel.installed) list.push_back(p.locked);
    for (const auto& p : sel.sources) list.push_back(p.locked);
    std::sort(list.begin(), list.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
  }
  lock.releases = selector.releases();
  lock.snapshot = selector.snapshot();
  return lock;
}

}  // namespace distill
