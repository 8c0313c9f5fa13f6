// Part "extract": for each extract: entry, the matching paths of a package
// that is not installed (libc-bin's C.utf8 locale in the java images).
#include <nlohmann/json.hpp>

#include "image/generated.h"
#include "image/parts.h"
#include "image/special_layers.h"
#include "util/error.h"

namespace distill {

namespace {

void extract_sources(const Definition& def, std::vector<std::string>& out) {
  for (const auto& x : def.extracts) {
    for (const auto& p : def.packages) {
      if (p.name == x.package) {
        throw Error(x.where + ": extract names " + x.package +
                    ", which packages: installs whole; extract only from packages not installed");
      }
    }
    add_source(def, x.package, out);
  }
}

void add_job(const PartInput& in, const ExtractSpec& x, const SelectedPackage& p,
             std::vector<LayerJob>& out) {
  std::string label = "extract from " + p.locked.name + " " + p.locked.version;
  if (in.explain) {
    std::string list;
    for (const auto& g : x.paths) list += (list.empty() ? "" : ", ") + g;
    in.explain->push_back({in.arch, list, label + " (" + x.where + ")"});
  }
  std::vector<std::string> globs;
  std::string description = label + ":";
  for (const auto& g : x.paths) {
    globs.push_back(expand_arch(g, in.arch));
    description += " " + globs.back();
  }
  LayerBlobOptions blob = in.layers.blob;
  int64_t mtime = in.layers.mtime;
  auto deb = deb_source(in.debs, p);
  bool status = x.status;
  out.push_back(
      {label, description, [blob, deb, globs, status, mtime, label](const std::string& dir) {
         return write_extract_layer(dir, blob, deb(), globs, status, mtime, label);
       }});
  out.back().key_inputs = nlohmann::json{
      {"part", "extract"},
      {"deb", p.locked.sha256},
      {"paths", globs},
      {"status", status},
      {"mtime", mtime}}.dump();
  out.back().debs = {p.locked.name};
}

// Grouped by package, packages in the order extract: first names them.
void extract_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  std::vector<std::string> order;
  extract_sources(in.def, order);
  for (const auto& name : order) {
    const SelectedPackage* p = in.selection.source(name);
    if (!p) continue;
    for (const auto& x : in.def.extracts) {
      if (x.package == name) add_job(in, x, *p, out);
    }
  }
}

}  // namespace

extern const PartKind kExtractPart{"extract",
                                   [](const Definition& def) { return !def.extracts.empty(); },
                                   extract_sources, extract_jobs};

}  // namespace distill
