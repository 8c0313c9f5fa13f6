// Part "upstream": one layer per upstream: item of the architecture, a
// runtime from outside Debian (image/upstream.h): resolved (from the lock
// when it pins the item), fetched into the cache and verified while the
// build is planned, so a bad digest or an unreachable source fails before
// any layer is written. Each item's version goes to the plan's
// upstream_versions (config.version-env and version-annotations).
#include <nlohmann/json.hpp>

#include "image/parts.h"
#include "image/upstream.h"
#include "util/fs.h"

namespace distill {

namespace {

void upstream_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  if (in.def.upstreams.empty()) return;
  SourceOptions none;
  const SourceOptions& opts = in.source ? *in.source : none;
  std::optional<debian::Lockfile> lock;
  if (!opts.lock_file.empty()) lock = debian::read_lockfile(opts.lock_file);
  for (const auto& u : upstreams_for_arch(in.def, in.arch)) {
    UpstreamTarball t = resolve_upstream(u, opts, lock ? &*lock : nullptr);
    fetch_upstream(t, opts, u.where);
    if (in.upstream_versions && !t.version.empty())
      (*in.upstream_versions)[upstream_name(u)] = t.version;
    if (in.upstreams) in.upstreams->push_back(t);
    std::string label = "upstream " + (u.npm.empty() ? u.url : u.npm) + " at " + u.dest;
    if (in.explain) {
      in.explain->push_back({in.arch, label, t.url + " (" + t.integrity + ", " + u.where + ")"});
    }
    LayerBlobOptions blob = in.layers.blob;
    int64_t mtime = in.layers.mtime;
    std::string path = t.path;
    std::string description = "upstream " + t.item + " (" + t.integrity + ") at " + u.dest;
    out.push_back({label, description, [blob, u, path, mtime, label](const std::string& dir) {
                     return write_upstream_layer(dir, blob, u, path, mtime, label);
                   }});
    // The layer's bytes follow from the verified tarball (its integrity) and
    // how it is cut: a rebuild, or another image with the same runtime,
    // takes it from the layer cache without unpacking the tarball.
    out.back().key_inputs =
        nlohmann::json{{"part", "upstream"},   {"integrity", t.integrity}, {"strip", u.strip},
                       {"include", u.include}, {"dest", u.dest},           {"mtime", mtime}}
            .dump();
  }
}

}  // namespace

extern const PartKind kUpstreamPart{
    "upstream", [](const Definition& def) { return !def.upstreams.empty(); },
    [](const Definition&, std::vector<std::string>&) {}, upstream_jobs};

}  // namespace distill
