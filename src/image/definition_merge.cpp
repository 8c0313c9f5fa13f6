// Inheritance: how a child definition folds over its `from:` parent. Lists
// extend (an item with the same key replaces the parent's), scalars and
// config fields the child sets win.
#include <algorithm>

#include "image/definition.h"
#include "image/merge_by.h"

namespace distill {

namespace {

template <typename T>
void set_if(std::optional<T>& base, const std::optional<T>& over) {
  if (over) base = over;
}

template <typename T>
void append(std::vector<T>& base, const std::vector<T>& over) {
  base.insert(base.end(), over.begin(), over.end());
}

std::string env_key(const std::string& kv) {
  return kv.substr(0, kv.find('='));
}

void merge_config(ImageConfigSpec& pc, const ImageConfigSpec& cc) {
  if (cc.env) {
    std::vector<std::string> env = pc.env.value_or(std::vector<std::string>{});
    merge_by(env, *cc.env, env_key);
    pc.env = env;
  }
  set_if(pc.user, cc.user);
  set_if(pc.workdir, cc.workdir);
  set_if(pc.entrypoint, cc.entrypoint);
  set_if(pc.cmd, cc.cmd);
  for (const auto& [k, v] : cc.where) pc.where[k] = v;
  for (const auto& [k, v] : cc.labels) pc.labels[k] = v;
  for (const auto& [k, v] : cc.annotations) pc.annotations[k] = v;
  append(pc.exposed_ports, cc.exposed_ports);
  append(pc.volumes, cc.volumes);
  set_if(pc.stop_signal, cc.stop_signal);
  set_if(pc.created, cc.created);
  merge_by(pc.version_env, cc.version_env, [](const VersionEnvSpec& v) { return v.name; });
  merge_by(pc.version_annotations, cc.version_annotations,
           [](const VersionEnvSpec& v) { return v.name; });
}

// A child's variant of the same name changes the fields it sets.
void merge_variant(VariantSpec& v, const VariantSpec& child) {
  if (!child.include.empty()) v.include = child.include;
  set_if(v.user, child.user);
  set_if(v.workdir, child.workdir);
  merge_by(v.packages, child.packages, [](const PackageSpec& p) { return p.name; });
  merge_by(v.files, child.files, [](const FileSpec& f) { return f.dest; });
  set_if(v.busybox, child.busybox);
  set_if(v.entrypoint_if_unset, child.entrypoint_if_unset);
  set_if(v.path_append, child.path_append);
  v.where = child.where;
}

// The family rules and the part-of-package settings.
void merge_parts(Definition& d, const Definition& child) {
  set_if(d.ca_bundle, child.ca_bundle);
  set_if(d.busybox, child.busybox);
  set_if(d.java_keystore, child.java_keystore);
  set_if(d.java_keystore_password, child.java_keystore_password);
  merge_by(d.extracts, child.extracts, [](const ExtractSpec& e) { return e.package; });
  merge_by(d.upstreams, child.upstreams, [](const UpstreamSpec& u) { return u.url + u.npm; });
  merge_by(d.apps, child.apps, [](const AppSpec& a) { return a.dest; });
  set_if(d.ca_package, child.ca_package);
  set_if(d.busybox_package, child.busybox_package);
  set_if(d.busybox_applets, child.busybox_applets);
  if (!child.parts.empty()) {
    d.parts = child.parts;
    d.parts_where = child.parts_where;
  }
  for (const auto& [name, cv] : child.variants) merge_variant(d.variants[name], cv);
  for (const auto& [key, where] : child.key_where) {
    if (key != "os-release" || !d.key_where.count(key)) d.key_where[key] = where;
  }
}

}  // namespace

Definition merge_definitions(Definition parent, const Definition& child) {
  Definition d = std::move(parent);
  d.path = child.path;
  d.dir = child.dir;
  d.name = child.name;
  d.description = child.description;
  d.from = child.from;
  merge_by(d.files, child.files, [](const FileSpec& f) { return f.dest; });
  merge_by(d.directories, child.directories, [](const DirectorySpec& s) { return s.path; });
  merge_by(d.symlinks, child.symlinks, [](const SymlinkSpec& s) { return s.path; });
  merge_by(d.packages, child.packages, [](const PackageSpec& p) { return p.name; });
  // Each file's packages already carry its own resolve default
  // (settle_resolve_flags), so a child's `resolve:` never rewrites the parent's.
  d.resolve = child.resolve;
  append(d.exclude_packages, child.exclude_packages);
  append(d.exclude_paths, child.exclude_paths);
  append(d.allow_setuid, child.allow_setuid);
  merge_by(d.repositories, child.repositories, [](const RepositorySpec& r) { return r.uri; });
  if (!child.mirror.empty()) d.mirror = child.mirror;
  if (!child.security_mirror.empty()) d.security_mirror = child.security_mirror;
  if (!child.snapshot.empty()) d.snapshot = child.snapshot;
  if (!child.architectures.empty()) d.architectures = child.architectures;
  if (!child.published_architectures.empty()) {
    d.published_architectures = child.published_architectures;
  }
  if (!child.release.empty()) {
    d.release = child.release;
    d.release_where = child.release_where;
  }
  if (!child.suites.empty()) {
    d.suites = child.suites;
    d.suites_where = child.suites_where;
  }
  set_if(d.merged_usr, child.merged_usr);
  if (child.ld_so_cache) d.ld_so_cache_where = child.ld_so_cache_where;
  set_if(d.ld_so_cache, child.ld_so_cache);
  merge_by(d.users, child.users, [](const UserSpec& u) { return u.name; });
  merge_by(d.groups, child.groups, [](const GroupSpec& g) { return g.name; });
  merge_by(d.os_release, child.os_release, [](const auto& kv) { return kv.first; });
  merge_parts(d, child);
  merge_config(d.config, child.config);
  set_if(d.budget.max_size, child.budget.max_size);
  set_if(d.budget.max_layers, child.budget.max_layers);
  set_if(d.budget.max_wasted, child.budget.max_wasted);
  for (const auto& [k, v] : child.checks) d.checks[k] = v;
  return d;
}

}  // namespace distill
