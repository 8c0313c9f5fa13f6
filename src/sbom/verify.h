// Checks an image's files against its packages' md5sums records, as
// `dpkg --verify` does on a system: a listed file whose MD5 differs is
// modified, one a later layer removed (whiteout, opaque directory) is
// missing, and a regular file no record lists, in a directory that some
// package's listed files live in, is unowned.
//
// What images do by design is not a finding, as dpkg's path-exclude is not:
// a listed file that no layer ever held was not installed (distroless ships
// only ca-certificates' bundle, definitions `exclude:` docs), and
// /usr/lib/os-release and /etc/os-release are the image's own identity
// (os-release(5) invites derivatives to rewrite them). Both are counted.
// Conffiles and generated files (/etc/passwd, the CA bundle) are in no
// md5sums record; symlinks are never listed, so never checked.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "inspect/merged_fs.h"
#include "sbom/package_db.h"

namespace distill::sbom {

struct Finding {
  enum class Kind { kModified, kMissing, kUnowned };
  Kind kind = Kind::kModified;
  std::string path;     // "/usr/bin/x"
  std::string package;  // the owner (modified, missing) or the directory's owner (unowned)
  std::string detail;   // why, for modified: "not a regular file"; else ""
};

struct VerifyReport {
  size_t packages = 0;                                        // packages with an md5sums record
  size_t files = 0;                                           // listed files checked
  std::vector<std::string> unverified;                        // packages without an md5sums record
  std::vector<Finding> findings;                              // sorted by path, then kind
  std::vector<Finding> customized;                            // os-release files the image rewrote
  std::vector<std::pair<std::string, size_t>> not_installed;  // package, listed files never shipped
};

// `fs` must come from read_image() with ReadOptions::md5. A malformed
// md5sums line is an Error naming the record and line.
// `removed` is ImageFiles::removed.
VerifyReport verify_files(const inspect::MergedFs& fs, const PackageDb& db,
                          const std::set<std::string>& removed);

// "modified /usr/bin/x (package foo)", "missing /usr/bin/y (package foo)",
// "unowned /usr/bin/z (directory of package foo)".
std::string finding_line(const Finding& f);
const char* kind_name(Finding::Kind k);

}  // namespace distill::sbom
