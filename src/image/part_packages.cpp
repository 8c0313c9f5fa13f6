// Part "packages": one layer per installed package, in selection order,
// with the definition's per-package symlinks in that package's layer.
#include <nlohmann/json.hpp>

#include "image/generated.h"
#include "image/merged_usr.h"
#include "image/package_layer.h"
#include "image/parts.h"

namespace distill {

namespace {

// A packages: entry's symlink under merged /usr: not at or under /bin,
// /lib..., except the link itself with its exact target.
void check_extra_symlink(const std::pair<std::string, std::string>& link,
                         const std::string& where) {
  TarEntry e;
  e.type = TarEntry::Type::kSymlink;
  e.path = normalize_member_path(link.first);
  e.link = link.second;
  check_merged_usr(e, where);
}

PackageLayerOptions layer_options(const PartInput& in, const SelectedPackage& p) {
  PackageLayerOptions one;
  one.exclude_paths = in.def.exclude_paths;
  one.allow_setuid = in.def.allow_setuid;
  one.status_mtime = in.layers.mtime;
  one.limits = in.layers.limits;
  one.label = "package " + p.locked.name + " " + p.locked.version;
  for (const auto& spec : in.def.packages) {
    if (spec.name != p.locked.name) continue;
    for (const auto& l : spec.symlinks) {
      one.symlinks.emplace_back(expand_arch(l.path, in.arch), expand_arch(l.target, in.arch));
      // The layer's writer would refuse it too, but only the definition
      // knows the line to name.
      if (in.layers.blob.merged_usr) check_extra_symlink(one.symlinks.back(), l.where);
      if (in.explain) {
        in.explain->push_back(
            {in.arch, "symlink " + one.symlinks.back().first + " -> " + one.symlinks.back().second,
             "in the layer of " + p.locked.name + " (" + l.where + ")"});
      }
    }
  }
  return one;
}

void package_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  LayerBlobOptions blob = in.layers.blob;
  for (const auto& p : in.selection.installed) {
    if (in.explain) {
      // A requested package names the definition line that asked for it,
      // through from: chains (each PackageSpec keeps its own file:line).
      std::string reason = p.reason;
      for (const auto& spec : in.def.packages) {
        if (reason == "requested" && spec.name == p.locked.name && !spec.where.empty())
          reason += " at " + spec.where;
      }
      in.explain->push_back(
          {in.arch,
           "package " + p.locked.name + " " + p.locked.version + " (" + p.locked.suite + ")",
           reason});
    }
    PackageLayerOptions one = layer_options(in, p);
    auto deb = deb_source(in.debs, p);
    out.push_back({one.label, one.label, [blob, one, deb](const std::string& dir) {
                     return write_package_layer(dir, blob, deb(), one);
                   }});
    nlohmann::json symlinks = nlohmann::json::array();
    for (const auto& [path, target] : one.symlinks) symlinks.push_back({path, target});
    out.back().key_inputs = nlohmann::json{
        {"part", "package"},
        {"deb", p.locked.sha256},
        {"exclude", one.exclude_paths},
        {"allow_setuid", one.allow_setuid},
        {"mtime", one.status_mtime},
        {"limits", {one.limits.file, one.limits.layer}},
        {"symlinks", symlinks}}.dump();
    out.back().debs = {p.locked.name};
  }
}

}  // namespace

extern const PartKind kPackagesPart{
    "packages", [](const Definition& def) { return !def.packages.empty(); },
    [](const Definition&, std::vector<std::string>&) {}, package_jobs};

}  // namespace distill
