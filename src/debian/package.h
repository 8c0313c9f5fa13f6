// A binary package record from a Debian Packages index, and the index file it
// came from. Shared by the resolver, the archive client and the lockfile.
#pragma once

#include <cstdint>
#include <string>

namespace distill::debian {

// Where a Packages index came from.
struct PackageOrigin {
  std::string repo_uri;        // e.g. "http://127.0.0.1:8080/debian" or "file:///srv/repo"
  std::string suite;           // e.g. "bookworm-security" (the dists/ name)
  std::string component;       // e.g. "main"
  std::string release_sha256;  // sha256 hex of the InRelease file it was verified by
};

struct Package {
  std::string name, version, architecture;  // architecture may be "all"
  std::string multi_arch;                   // "", "same", "foreign", "allowed"
  std::string source;                       // source package name ("" = same as name)
  std::string source_version;               // "" = same as version
  std::string depends, pre_depends, provides, conflicts, breaks;  // raw field text
  std::string recommends;                                         // raw field text (not followed)
  bool essential = false;                                         // "Essential: yes"
  std::string filename;                                           // pool path relative to repo_uri
  uint64_t size = 0;                                              // .deb size in bytes
  std::string sha256;                                             // .deb sha256 hex
  uint64_t installed_size_kib = 0;
  std::string maintainer, homepage, section, priority, description;
  PackageOrigin origin;
  std::string control;  // the whole paragraph, verbatim
};

}  // namespace distill::debian
