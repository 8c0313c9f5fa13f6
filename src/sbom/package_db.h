// Installed Debian packages as an image records them: distroless images
// keep one control file per package in /var/lib/dpkg/status.d/ (and its
// file list with MD5s in status.d/NAME.md5sums), ordinary systems one
// /var/lib/dpkg/status and /var/lib/dpkg/info/NAME[:ARCH].md5sums.
#pragma once

#include <string>
#include <vector>

#include "inspect/merged_fs.h"

namespace distill::sbom {

struct InstalledPackage {
  std::string name, version, architecture;  // version with its epoch, as dpkg writes it
  std::string source, source_version;       // filled in: the name/version when Source is absent
  std::string maintainer, homepage, multi_arch;
  std::string depends, pre_depends, provides;  // raw field text
  std::string record;   // path of the status file it came from ("/var/lib/dpkg/status.d/libc6")
  std::string md5sums;  // path of its md5sums record in the image, "" when it has none
};

struct PackageDb {
  std::vector<InstalledPackage> packages;  // sorted by name, then architecture
  std::vector<std::string> problems;       // unreadable records, one line each
};

// Reads status.d/* and status (only "install ok installed" entries there;
// status.d records often have no Status line). A package listed twice
// (status.d and status) is kept once, status.d first.
PackageDb read_packages(const inspect::MergedFs& fs);

}  // namespace distill::sbom
