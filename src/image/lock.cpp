#include "image/lock.h"

#include <algorithm>
#include <set>

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
  // Runtimes from outside Debian: the tarball each item of the locked
  // architectures resolved to, checked against its digest now so that a
  // lock never pins what cannot be built.
  std::set<std::string> locked;
  for (const auto& arch : arches) {
    for (const auto& u : upstreams_for_arch(def, arch)) {
      if (!locked.insert(u.url + "|" + u.npm).second) continue;  // one item, several arches
      UpstreamTarball t = resolve_upstream(u, opts, nullptr);
      fetch_upstream(t, opts, u.where);
      lock.upstreams.push_back({t.item, t.url, t.integrity, t.version});
    }
  }
  lock.releases = selector.releases();
  lock.snapshot = selector.snapshot();
  return lock;
}

}  // namespace distill
