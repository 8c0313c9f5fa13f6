// Chooses, fetches and lays out the Debian packages of a definition.
// Selection is the same with or without a lockfile: requested packages in
// definition order, then their dependencies by name, so `build --lock`
// and a fresh resolution of the same versions give the same image.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "debian/lockfile.h"
#include "image/builder.h"
#include "image/layer_plan.h"

namespace distill {

struct SelectedPackage {
  debian::LockedPackage locked;
  std::string reason;    // for --explain
  std::string deb_path;  // after fetching
};

struct Selection {
  std::vector<SelectedPackage> installed;  // one layer each, in this order
  std::vector<SelectedPackage> sources;  // read for parts only (ca-certificates, busybox, extract:)
  std::vector<std::string> warnings;
};

class PackagePlanner {
 public:
  PackagePlanner(const Definition& def, const BuildOptions& opts);
  ~PackagePlanner();
  // Resolves (or reads from the lockfile) the packages for `arch`.
  Selection select(const std::string& arch);
  // Every layer job for `arch` (package layers, part-of-package layers and
  // `plan`, the generated files), in the order of the definition's parts:.
  std::vector<LayerJob> layer_jobs(const std::string& arch, const LayerPlan& plan,
                                   std::vector<std::string>* explain);
  // The job for the definition's generated files (empty plan: no job).
  std::vector<LayerJob> generated_jobs(const std::string& arch, const LayerPlan& plan,
                                       const BuildOptions& opts);
  // Name -> version of every package layer_jobs() used for `arch`
  // (installed and read for parts), for config.version-env.
  std::map<std::string, std::string> versions(const std::string& arch) const;
  // Everything `distill lock` writes, for the given architectures.
  debian::Lockfile lockfile(const std::vector<std::string>& arches);

 private:
  const Definition& def_;
  const BuildOptions& opts_;
  struct State;
  std::unique_ptr<State> state_;
};

// Applet names for the busybox layer, from the list busybox.applets names.
std::vector<std::string> busybox_applets(const Definition& def);

}  // namespace distill
