#include "image/packages.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "debian/archive.h"
#include "debian/resolver.h"
#include "image/generated.h"
#include "image/package_layer.h"
#include "image/special_layers.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace distill {

namespace {

// The package a part reads, as the family rules name it.
std::string rule_package(const std::optional<std::string>& name, const char* key,
                         const Definition& def) {
  if (name && !name->empty()) return *name;
  throw Error((def.path.empty() ? std::string("the definition") : def.path) + ": " + key +
              " is not set; the family rules (images/common/family.yaml) name it");
}

debian::LockedPackage lock_entry(const debian::Package& p) {
  debian::LockedPackage l;
  l.name = p.name;
  l.version = p.version;
  l.architecture = p.architecture;
  l.suite = p.origin.suite;
  l.component = p.origin.component;
  l.filename = p.filename;
  l.repo_uri = p.origin.repo_uri;
  l.sha256 = p.sha256;
  l.size = p.size;
  return l;
}

}  // namespace

struct PackagePlanner::State {
  std::unique_ptr<debian::Archive> archive;
  std::optional<debian::Lockfile> lock;
  std::map<std::string, std::map<std::string, std::string>> versions;  // arch -> name -> version

  debian::Archive& get_archive(const Definition& def, const BuildOptions& opts,
                               const std::vector<std::string>& arches) {
    if (archive) return *archive;
    debian::ArchiveOptions ao;
    for (const auto& r : def.repositories) {
      debian::Repository repo;
      repo.uri = r.uri;
      repo.suites = r.suites;
      repo.components = r.components;
      repo.keyring = r.keyring;
      ao.repositories.push_back(repo);
    }
    ao.mirror = !opts.mirror.empty() ? opts.mirror : def.mirror;
    ao.cache_dir = opts.cache_dir;
    ao.offline = opts.offline;
    ao.insecure_skip_signatures = opts.insecure_skip_signatures;
    ao.architectures = arches;
    if (opts.net_timeout_seconds > 0) {
      ao.http.timeouts.connect_seconds = opts.net_timeout_seconds;
      ao.http.timeouts.stall_seconds = opts.net_timeout_seconds;
    }
    archive = std::make_unique<debian::Archive>(ao);
    return *archive;
  }
};

PackagePlanner::PackagePlanner(const Definition& def, const BuildOptions& opts)
    : def_(def), opts_(opts), state_(std::make_unique<State>()) {
  if (!opts.lock_file.empty()) state_->lock = debian::read_lockfile(opts.lock_file);
}

PackagePlanner::~PackagePlanner() = default;

Selection PackagePlanner::select(const std::string& arch) {
  Selection sel;
  std::vector<std::string> source_only;
  std::set<std::string> requested;
  for (const auto& p : def_.packages) requested.insert(p.name);
  if (def_.ca_bundle || def_.java_keystore) {
    std::string ca = rule_package(def_.ca_package, "ca-bundle.package", def_);
    if (!requested.count(ca)) source_only.push_back(ca);
  }
  for (const auto& x : def_.extracts) {
    if (requested.count(x.package)) {
      throw Error(x.where + ": extract names " + x.package +
                  ", which packages: installs whole; extract only from packages not installed");
    }
    bool listed = std::find(source_only.begin(), source_only.end(), x.package) != source_only.end();
    if (!requested.count(x.package) && !listed) source_only.push_back(x.package);
  }
  if (def_.busybox) {
    std::string bb = rule_package(def_.busybox_package, "busybox.package", def_);
    if (!requested.count(bb)) source_only.push_back(bb);
  }
  if (def_.packages.empty() && source_only.empty()) return sel;

  std::vector<std::pair<debian::LockedPackage, std::string>> chosen;  // with reasons
  if (state_->lock) {
    auto it = state_->lock->packages.find(arch);
    if (it == state_->lock->packages.end()) {
      throw Error(opts_.lock_file + ": no packages locked for architecture " + arch +
                  " (run `distill lock` with --arch " + arch + ")");
    }
    std::map<std::string, debian::LockedPackage> by_name;
    for (const auto& l : it->second) by_name[l.name] = l;
    auto take = [&](const std::string& name, const std::string& reason) {
      auto f = by_name.find(name);
      if (f == by_name.end()) {
        throw Error(opts_.lock_file + ": package " + name + " (" + arch +
                    ") is not in the lockfile; run `distill lock --update`");
      }
      chosen.emplace_back(f->second, reason);
      by_name.erase(f);
    };
    for (const auto& p : def_.packages) take(p.name, "requested (locked)");
    for (const auto& s : source_only) take(s, "source of generated files (locked)");
    for (const auto& [name, l] : by_name) chosen.emplace_back(l, "dependency (locked)");
  } else {
    debian::Archive& archive = state_->get_archive(def_, opts_, {arch});
    const debian::PackageIndex& index = archive.index(arch);
    std::vector<debian::Request> reqs;
    for (const auto& p : def_.packages)
      reqs.push_back({p.name, "", p.resolve.value_or(def_.resolve)});
    for (const auto& s : source_only) reqs.push_back({s, "", false});
    debian::ResolveOptions ro;
    ro.arch = arch;
    ro.exclude = def_.exclude_packages;
    debian::Resolution r = debian::resolve(index, reqs, ro);
    sel.warnings = r.warnings;
    std::map<std::string, std::pair<debian::LockedPackage, std::string>> deps;
    std::map<std::string, std::pair<debian::LockedPackage, std::string>> direct;
    std::set<std::string> direct_names(requested);
    direct_names.insert(source_only.begin(), source_only.end());
    for (const auto& rp : r.packages) {
      auto entry = std::make_pair(lock_entry(*rp.package), rp.reason);
      if (direct_names.count(rp.package->name)) {
        direct[rp.package->name] = entry;
      } else {
        deps[rp.package->name] = entry;
      }
    }
    for (const auto& p : def_.packages) chosen.push_back(direct.at(p.name));
    for (const auto& s : source_only) chosen.push_back(direct.at(s));
    for (const auto& [name, e] : deps) chosen.push_back(e);
  }
  for (auto& [locked, reason] : chosen) {
    SelectedPackage sp{locked, reason, ""};
    bool is_source =
        std::find(source_only.begin(), source_only.end(), locked.name) != source_only.end();
    (is_source ? sel.sources : sel.installed).push_back(std::move(sp));
  }
  return sel;
}

namespace {

// Concatenates the jobs of each part kind in the order the definition's
// parts: list gives (the family rules declare the reference's order). A
// kind with jobs that parts: does not list is an error, not a lost layer.
std::vector<LayerJob> in_part_order(const Definition& def,
                                    std::map<std::string, std::vector<LayerJob>> by_part) {
  for (const auto& [name, jobs] : by_part) {
    if (jobs.empty()) continue;
    if (std::find(def.parts.begin(), def.parts.end(), name) == def.parts.end()) {
      std::string at = def.parts_where.empty() ? def.path : def.parts_where;
      throw Error(at + ": parts: does not list '" + name +
                  "', which the definition needs (the family rules in "
                  "images/common/family.yaml list every part)");
    }
  }
  std::vector<LayerJob> out;
  for (const auto& name : def.parts) {
    auto it = by_part.find(name);
    if (it == by_part.end()) {
      throw Error(def.parts_where + ": unknown part '" + name +
                  "' (expected packages, ca-bundle, extract, java-keystore, busybox or generated)");
    }
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

}  // namespace

std::vector<LayerJob> PackagePlanner::layer_jobs(const std::string& arch, const LayerPlan& plan,
                                                 std::vector<std::string>* explain) {
  std::map<std::string, std::vector<LayerJob>> by_part;
  for (const char* kind :
       {"packages", "ca-bundle", "extract", "java-keystore", "busybox", "generated"}) {
    by_part[kind];
  }
  by_part["generated"] = generated_jobs(arch, plan, opts_);
  Selection sel = select(arch);
  if (sel.installed.empty() && sel.sources.empty()) return in_part_order(def_, std::move(by_part));
  for (const auto& w : sel.warnings) log_warn(w);
  std::vector<std::string> arches = {arch};
  debian::Archive& archive = state_->get_archive(def_, opts_, arches);
  std::vector<debian::LockedPackage> wanted;
  for (const auto& p : sel.installed) wanted.push_back(p.locked);
  for (const auto& p : sel.sources) wanted.push_back(p.locked);
  std::vector<std::string> paths = archive.fetch_locked(wanted);
  for (size_t i = 0; i < sel.installed.size(); ++i) sel.installed[i].deb_path = paths[i];
  for (size_t i = 0; i < sel.sources.size(); ++i) {
    sel.sources[i].deb_path = paths[sel.installed.size() + i];
  }

  std::vector<LayerJob>& jobs = by_part["packages"];
  LayerBlobOptions blob = opts_.layer;
  PackageLayerOptions plo;
  plo.exclude_paths = def_.exclude_paths;
  plo.allow_setuid = def_.allow_setuid;
  plo.status_mtime = opts_.mtime;
  plo.limits = opts_.limits;
  auto& versions = state_->versions[arch];
  for (const auto& p : sel.installed) versions[p.locked.name] = p.locked.version;
  for (const auto& p : sel.sources) versions[p.locked.name] = p.locked.version;
  for (const auto& p : sel.installed) {
    if (explain) {
      explain->push_back(arch + ": package " + p.locked.name + " " + p.locked.version + " (" +
                         p.locked.suite + "): " + p.reason);
    }
    std::string deb = p.deb_path;
    PackageLayerOptions one = plo;
    one.label = "package " + p.locked.name + " " + p.locked.version;
    for (const auto& spec : def_.packages) {
      if (spec.name != p.locked.name) continue;
      for (const auto& l : spec.symlinks) {
        one.symlinks.emplace_back(expand_arch(l.path, arch), expand_arch(l.target, arch));
        if (explain) {
          explain->push_back(arch + ": symlink " + one.symlinks.back().first + " -> " +
                             one.symlinks.back().second + ": in the layer of " + p.locked.name +
                             " (" + l.where + ")");
        }
      }
    }
    jobs.push_back({one.label, [blob, one, deb](const std::string& dir) {
                      return write_package_layer(dir, blob, deb, one);
                    }});
  }
  int64_t mtime = opts_.mtime;
  std::string ca_package = def_.ca_package.value_or("");
  std::string busybox_package = def_.busybox_package.value_or("");
  for (const auto& p : sel.sources) {
    std::string deb = p.deb_path;
    if (p.locked.name == ca_package && def_.java_keystore) {
      std::string dest = *def_.java_keystore;
      if (!def_.java_keystore_password) {
        throw Error(def_.path +
                    ": ca-bundle.java-keystore-password is not set; the family rules "
                    "(images/common/family.yaml) set it");
      }
      std::string password = *def_.java_keystore_password;
      if (explain) {
        explain->push_back(arch + ": file " + dest + ": Java keystore of the CA bundle from " +
                           p.locked.name + " " + p.locked.version + " (ca-bundle in " + def_.path +
                           ")");
      }
      by_part["java-keystore"].push_back(
          {"Java keystore from " + p.locked.name + " " + p.locked.version,
           [blob, deb, dest, password, mtime](const std::string& dir) {
             return write_java_keystore_layer(dir, blob, deb, dest, password, mtime);
           }});
    }
    for (const auto& x : def_.extracts) {
      if (x.package != p.locked.name) continue;
      std::string label = "extract from " + p.locked.name + " " + p.locked.version;
      if (explain) {
        std::string list;
        for (const auto& g : x.paths) list += (list.empty() ? "" : ", ") + g;
        explain->push_back(arch + ": " + list + ": " + label + " (" + x.where + ")");
      }
      std::vector<std::string> globs;
      for (const auto& g : x.paths) globs.push_back(expand_arch(g, arch));
      bool status = x.status;
      by_part["extract"].push_back(
          {label, [blob, deb, globs, status, mtime, label](const std::string& dir) {
             return write_extract_layer(dir, blob, deb, globs, status, mtime, label);
           }});
    }
    if (p.locked.name == ca_package && def_.ca_bundle) {
      std::string dest = *def_.ca_bundle;
      if (explain) {
        explain->push_back(arch + ": file " + dest + ": CA bundle from " + p.locked.name + " " +
                           p.locked.version + " (ca-bundle in " + def_.path + ")");
      }
      by_part["ca-bundle"].push_back({"CA bundle from " + p.locked.name + " " + p.locked.version,
                                      [blob, deb, dest, mtime](const std::string& dir) {
                                        return write_ca_bundle_layer(dir, blob, deb, dest, mtime);
                                      }});
    } else if (p.locked.name == busybox_package && def_.busybox) {
      std::string bdir = *def_.busybox;
      std::vector<std::string> applets = busybox_applets(def_);
      if (explain) {
        explain->push_back(arch + ": directory " + bdir + ": busybox from " + p.locked.name + " " +
                           p.locked.version + " with " + std::to_string(applets.size()) +
                           " applets (debug variant)");
      }
      by_part["busybox"].push_back({"busybox from " + p.locked.name + " " + p.locked.version,
                                    [blob, deb, bdir, applets, mtime](const std::string& dir) {
                                      return write_busybox_layer(dir, blob, deb, bdir, applets,
                                                                 mtime);
                                    }});
    }
  }
  return in_part_order(def_, std::move(by_part));
}

std::vector<LayerJob> PackagePlanner::generated_jobs(const std::string&, const LayerPlan& plan,
                                                     const BuildOptions& opts) {
  if (plan.empty()) return {};
  LayerJob job;
  job.name = "generated files";
  const LayerPlan* p = &plan;
  int64_t mtime = opts.mtime;
  LayerBlobOptions lo = opts.layer;
  job.run = [p, mtime, lo](const std::string& dir) {
    return write_layer_blob(dir, lo, [&](TarWriter& tar) { p->write(tar, mtime); });
  };
  return {job};
}

std::map<std::string, std::string> PackagePlanner::versions(const std::string& arch) const {
  auto it = state_->versions.find(arch);
  return it == state_->versions.end() ? std::map<std::string, std::string>{} : it->second;
}

debian::Lockfile PackagePlanner::lockfile(const std::vector<std::string>& arches) {
  debian::Lockfile lock;
  for (const auto& arch : arches) {
    Selection sel = select(arch);
    for (const auto& w : sel.warnings) log_warn(w);
    auto& list = lock.packages[arch];
    for (const auto& p : sel.installed) list.push_back(p.locked);
    for (const auto& p : sel.sources) list.push_back(p.locked);
    std::sort(list.begin(), list.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
  }
  if (state_->archive) lock.releases = state_->archive->releases();
  return lock;
}

std::vector<std::string> busybox_applets(const Definition& def) {
  if (!def.busybox_applets) {
    throw Error(def.path +
                ": busybox.applets is not set; the family rules (images/common/family.yaml) "
                "name the applet list");
  }
  const std::string& path = *def.busybox_applets;
  if (!path_exists(path)) throw Error(path + ": busybox applet list not found (busybox.applets)");
  std::vector<std::string> out;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') out.push_back(line);
  }
  return out;
}

}  // namespace distill
