// Part "ld-so-cache": /etc/ld.so.cache, as ldconfig would write it inside
// the finished image, generated from the layers below it (their libraries
// and ld.so.conf files, merged as the container sees them) rather than
// copied from a checked-in binary, so it is right for every architecture and
// every package set. The generator text names the image's libc-bin (or
// libc6) version, as Debian's ldconfig does. One entry, etc/ld.so.cache,
// 0644 root, mtime 0, no parent directory entry (the reference's layer).
#include <nlohmann/json.hpp>

#include "elf/ldconfig.h"
#include "image/layer_root.h"
#include "image/parts.h"
#include "util/error.h"

namespace distill {

namespace {

// The libc-bin version, else libc6's (same source package, same version).
std::string libc_version(const PartInput& in) {
  for (const char* name : {"libc-bin", "libc6"}) {
    for (const auto& p : in.selection.installed) {
      if (p.locked.name == name) return p.locked.version;
    }
  }
  const std::string& at = in.def.ld_so_cache_where.empty() ? in.def.path : in.def.ld_so_cache_where;
  throw Error(at + ": ld-so-cache: the image for " + in.arch +
              " installs neither libc-bin nor libc6, so there is no glibc to write the cache "
              "for; add libc6 to packages: or drop ld-so-cache");
}

BuiltLayer write_cache_layer(const std::string& dir, const LayerBlobOptions& blob,
                             const elf::LdconfigOptions& opts, const std::string& label,
                             const std::vector<BuiltLayer>& below) {
  std::string cache = elf::generate_ld_so_cache(root_of_layers(below), opts);
  return write_layer_blob(dir, blob, label, [&](TarWriter& tar) {
    TarEntry e;
    e.path = "etc/ld.so.cache";
    e.mode = 0644;
    e.size = cache.size();
    tar.add(e, cache);
  });
}

void ld_cache_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  if (!in.def.ld_so_cache.value_or(false)) return;
  std::string version = libc_version(in);
  elf::LdconfigOptions opts;
  try {
    opts = elf::debian_ldconfig_options(in.arch, version);
  } catch (const Error& e) {
    throw Error(in.def.ld_so_cache_where + ": ld-so-cache: " + e.what());
  }
  std::string label = "ld.so.cache (ldconfig of libc-bin " + version + ")";
  if (in.explain) {
    in.explain->push_back({in.arch, "file /etc/ld.so.cache",
                           label + ", from the layers below (" + in.def.ld_so_cache_where + ")"});
  }
  LayerBlobOptions blob = in.layers.blob;
  LayerJob job;
  job.name = label;
  job.description = "ld.so.cache /etc/ld.so.cache (ldconfig of libc-bin " + version + ")";
  job.run_on_below = [blob, opts, label](const std::string& dir,
                                         const std::vector<BuiltLayer>& below) {
    return write_cache_layer(dir, blob, opts, label, below);
  };
  // The layers below enter the key through their diff_ids (layer_cache_key).
  job.key_inputs =
      nlohmann::json{{"part", "ld-so-cache"}, {"arch", in.arch}, {"libc", version}}.dump();
  out.push_back(std::move(job));
}

}  // namespace

extern const PartKind kLdCachePart{
    "ld-so-cache", [](const Definition& def) { return def.ld_so_cache.value_or(false); },
    [](const Definition&, std::vector<std::string>&) {}, ld_cache_jobs};

}  // namespace distill
