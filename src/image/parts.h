// The kinds of layer an image is made of, as a registry: package layers,
// the CA bundle, extract: layers, the Java keystore, busybox and the
// generated files, either as one layer ("generated") or, as the reference
// writes them, one layer each (rootfs, passwd, home, group, tmp, nsswitch,
// os-release), with "generated" holding what those do not take; then
// upstream: runtimes and the ld.so.cache, and last the app's own files. Each kind says whether a
// definition asks for it, which packages it reads without installing them, and the layer jobs it
// adds. The order of the layers is data, the definition's parts: list (the family rules in
// images/common/family.yaml declare the reference's order).
//
// To add a part kind: write image/part_NAME.cpp defining a PartKind, add
// one line to the registry in image/parts.cpp, and name it in parts: of
// images/common/family.yaml where its layers go.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "image/build_options.h"
#include "image/definition.h"
#include "image/generated.h"
#include "image/layer_job.h"
#include "image/selection.h"
#include "image/upstream.h"

namespace distill {

// What a part kind builds its jobs from, for one architecture.
struct PartInput {
  const Definition& def;
  const std::string& arch;
  const Selection& selection;  // deb_path set unless `debs` is
  const LayerOptions& layers;
  const GeneratedFiles& generated;        // the generated files (image/generated.h)
  std::vector<Explained>* explain;        // --explain entries, or null
  const SourceOptions* source = nullptr;  // lock, cache and network, for upstream:
  // Filled by the upstream part: item name -> the version it resolved to.
  std::map<std::string, std::string>* upstream_versions = nullptr;
  // Where part "upstream" records the tarballs it resolved, or null.
  std::vector<UpstreamTarball>* upstreams = nullptr;
  // Where jobs get their .debs when they run (deb_source), or null for a
  // selection whose deb_path is set.
  std::shared_ptr<DebFiles> debs = nullptr;
};

struct PartKind {
  const char* name;  // as parts: lists it
  // Whether `def` asks for this part (a part asked for must be in parts:).
  bool (*wanted)(const Definition& def);
  // Adds the packages the part reads (not installed) to `out`, once each.
  void (*sources)(const Definition& def, std::vector<std::string>& out);
  // Adds the part's layer jobs to `out`, in their order.
  void (*jobs)(const PartInput& in, std::vector<LayerJob>& out);
};

// Every kind, in no particular order (the order is parts:).
std::span<const PartKind* const> part_kinds();

// The packages the definition's parts read, in parts: order. Throws naming
// parts: for an unknown kind or a wanted one parts: does not list.
std::vector<std::string> part_sources(const Definition& def);

// Every layer job of the image, in parts: order.
std::vector<LayerJob> part_jobs(const PartInput& in);

// Adds `name` to `out` unless it is there, or `def` installs it whole.
void add_source(const Definition& def, const std::string& name, std::vector<std::string>& out);

// The package a family rule names (ca-bundle.package, busybox.package);
// unset is an error saying where it is declared.
std::string rule_package(const Definition& def, const std::optional<std::string>& name,
                         const char* key);

// "file.yaml:12" where `key` (ca-bundle, busybox...) was set, for --explain;
// the definition's path when no file:line is known.
std::string key_origin(const Definition& def, const std::string& key);

// The part kinds (one file each: image/part_*.cpp).
extern const PartKind kPackagesPart;
extern const PartKind kCaBundlePart;
extern const PartKind kExtractPart;
extern const PartKind kJavaKeystorePart;
extern const PartKind kBusyboxPart;
extern const PartKind kGeneratedPart;
// The reference's one layer per generated file (image/part_split.cpp).
extern const PartKind kRootfsPart;
extern const PartKind kPasswdPart;
extern const PartKind kHomePart;
extern const PartKind kGroupPart;
extern const PartKind kTmpPart;
extern const PartKind kNsswitchPart;
extern const PartKind kOsReleasePart;
extern const PartKind kLdCachePart;
extern const PartKind kUpstreamPart;
// The program's own files, last (image/part_app.cpp).
extern const PartKind kAppPart;

}  // namespace distill
