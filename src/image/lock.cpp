#include "image/lock.h"

#include <algorithm>

#include "image/parts.h"
#include "image/selection.h"
#include "image/upstream.h"
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
  // Runtimes from outside Debian: the tarball each item resolved to, checked
  // against its digest now so that a lock never pins what cannot be built.
  for (const auto& u : def.upstreams) {
    UpstreamTarball t = resolve_upstream(u, opts, nullptr);
    fetch_upstream(t, opts, u.where);
    lock.upstreams.push_back({t.item, t.url, t.integrity});
  }
  lock.releases = selector.releases();
  lock.snapshot = selector.snapshot();
  return lock;
}

}  // namespace distill
