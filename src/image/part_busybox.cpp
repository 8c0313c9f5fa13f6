// Part "busybox": the busybox binary of the package the family rules name
// (busybox.package) in the directory busybox: (or a variant) sets, with one
// symlink per applet of the list busybox.applets names.
#include <nlohmann/json.hpp>
#include <sstream>

#include "image/parts.h"
#include "image/special_layers.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

// Applet names, one a line in the list busybox.applets names.
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

void busybox_sources(const Definition& def, std::vector<std::string>& out) {
  if (def.busybox) add_source(def, rule_package(def, def.busybox_package, "busybox.package"), out);
}

void busybox_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  if (!in.def.busybox) return;
  const SelectedPackage* p = in.selection.source(in.def.busybox_package.value_or(""));
  if (!p) return;
  std::string bdir = *in.def.busybox;
  auto deb = deb_source(in.debs, *p);
  std::vector<std::string> applets = busybox_applets(in.def);
  if (in.explain) {
    in.explain->push_back({in.arch, "directory " + bdir,
                           "busybox from " + p->locked.name + " " + p->locked.version + " with " +
                               std::to_string(applets.size()) + " applets (" +
                               key_origin(in.def, "busybox") + ")"});
  }
  LayerBlobOptions blob = in.layers.blob;
  int64_t mtime = in.layers.mtime;
  out.push_back({"busybox from " + p->locked.name + " " + p->locked.version,
                 "busybox from " + p->locked.name + " " + p->locked.version + " in " + bdir + " (" +
                     std::to_string(applets.size()) + " applets)",
                 [blob, deb, bdir, applets, mtime](const std::string& dir) {
                   return write_busybox_layer(dir, blob, deb(), bdir, applets, mtime);
                 }});
  out.back().key_inputs = nlohmann::json{
      {"part", "busybox"},
      {"deb", p->locked.sha256},
      {"dir", bdir},
      {"applets", applets},
      {"mtime", mtime}}.dump();
  out.back().debs = {p->locked.name};
}

}  // namespace

extern const PartKind kBusyboxPart{"busybox",
                                   [](const Definition& def) { return def.busybox.has_value(); },
                                   busybox_sources, busybox_jobs};

}  // namespace distill
