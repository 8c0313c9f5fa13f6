// Which Debian packages an image holds, and which it only reads for part
// layers. Selection is the same with or without a lockfile: requested
// packages in definition order, then the packages parts read, then
// dependencies by name, so `build --lock` and a fresh resolution of the
// same versions give the same image.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "debian/archive.h"
#include "debian/lockfile.h"
#include "image/build_options.h"
#include "image/definition.h"

namespace distill {

struct SelectedPackage {
  debian::LockedPackage locked;
  std::string reason;    // for --explain
  std::string deb_path;  // set by fetch_selection (builds fetch through DebFiles instead)
};

struct Selection {
  std::vector<SelectedPackage> installed;  // one layer each, in this order
  std::vector<SelectedPackage> sources;    // read by part layers only (see image/parts.h)
  std::vector<std::string> warnings;
  // A package read for parts, or null (also when it is installed instead).
  const SelectedPackage* source(const std::string& name) const;
};

// Resolves a definition's packages against the archive, or reads them from
// the lockfile SourceOptions names (refusing one locked at another snapshot). The archive is opened
// once, on first use, and kept for fetching and for the lockfile's releases.
class PackageSelector {
 public:
  PackageSelector(const Definition& def, const SourceOptions& opts);
  ~PackageSelector();
  PackageSelector(const PackageSelector&) = delete;
  PackageSelector& operator=(const PackageSelector&) = delete;

  // The packages for `arch`; `part_sources` are the packages part layers
  // read (image/parts.h part_sources), each selected without dependencies.
  Selection select(const std::string& arch, const std::vector<std::string>& part_sources);
  // The archive, opened for `arches` if it is not open yet.
  debian::Archive& archive(const std::vector<std::string>& arches);
  // The InRelease files read so far (none when everything came from the lock).
  std::vector<debian::LockedRelease> releases() const;
  // With SourceOptions::speculate_releases: true iff every cached InRelease
  // the selection went ahead with is still the mirror's
  // (debian::Archive::confirm_releases); true when no archive was opened.
  bool confirm_releases();
  // The snapshot TIMESTAMP the packages come from: --snapshot, else the
  // definition's snapshot:, else the lockfile's ("" = the live archive).
  std::string snapshot() const;

 private:
  std::vector<std::pair<debian::LockedPackage, std::string>> from_lock(
      const std::string& arch, const std::vector<std::string>& part_sources);
  std::vector<std::pair<debian::LockedPackage, std::string>> resolved(
      const std::string& arch, const std::vector<std::string>& part_sources, Selection& sel);

  const Definition& def_;
  const SourceOptions& opts_;
  std::optional<debian::Lockfile> lock_;
  std::unique_ptr<debian::Archive> archive_;
};

// Downloads (or finds in the cache) every selected package, setting deb_path.
void fetch_selection(debian::Archive& archive, Selection& sel);

// The .debs of one architecture's selection, fetched when a layer needs
// them rather than when they are selected: a layer found in a layer cache
// (keyed by the .deb's SHA-256 from the signed index) needs neither the
// .deb nor the hashing that verifies it, and a build whose layers are all
// found opens no archive at all. Thread-safe; `selector` must outlive it.
class DebFiles {
 public:
  DebFiles(PackageSelector& selector, std::string arch, const Selection& sel);
  // Fetches the .debs of the packages `names` (selected ones; others are
  // ignored) not fetched yet, in one batch (parallel downloads).
  void fetch(const std::vector<std::string>& names);
  // The verified .deb of selected package `name`, fetched first if needed.
  std::string path(const std::string& name);

 private:
  std::mutex mu_;
  PackageSelector& selector_;
  std::string arch_;
  std::map<std::string, debian::LockedPackage> packages_;
  std::map<std::string, std::string> paths_;  // fetched so far
};

// Where a layer job finds a package's .deb when it runs: through `debs`
// when set (fetched on demand), else the path fetch_selection set.
std::function<std::string()> deb_source(const std::shared_ptr<DebFiles>& debs,
                                        const SelectedPackage& p);

// .debs fetched (downloaded or verified in the download cache) by this
// process so far, for build --json's work counters.
uint64_t debs_fetched();

// Name -> version of every selected package, for config.version-env.
std::map<std::string, std::string> package_versions(const Selection& sel);

}  // namespace distill
