// Which family image a program runs on, and which Debian packages it needs
// on top: the analysis behind `build --from auto` and `distill deps`.
//
// The app's ELF files (executables and bundled shared objects) are read, and
// their closure is resolved in the dynamic loader's order (elf/elf_closure.h)
// over a virtual root: the base's packages' files, the app's own files at
// their image paths, and packages found for a missing soname in the
// release's Contents-<arch> indices (app/contents_index.h). The image gets
// exactly the packages that own the closure's files, plus the implicit
// run-time needs DT_NEEDED does not show (libgcc_s for unwinding and thread
// cancellation, NSS modules, gconv modules); each one carries its reason.
#pragma once

#include <string>
#include <vector>

#include "image/build_options.h"

namespace distill::app {

// One file of the app: where it is read from on the host and where it goes
// in the image (absolute). Non-ELF files are carried for $ORIGIN lookups of
// bundled libraries and otherwise ignored.
struct HostFile {
  std::string host_path;
  std::string image_path;
};

struct AutoBaseRequest {
  std::vector<HostFile> files;
  std::string release;   // "debian12", "debian13"; "" = the newest release of the family
  std::string arch;      // Debian architecture name ("amd64"); must match every ELF file
  SourceOptions source;  // archive access, as the build command fills it
  std::vector<std::string> image_dirs;  // where images/ lives; empty = default_image_dirs()
};

// A package the image needs beyond the base, and why.
struct ExtraPackage {
  std::string name;
  std::string version;  // as the release's Packages index has it
  // "/app/hello needs libsqlite3.so.0 (found /usr/lib/x86_64-linux-gnu/
  // libsqlite3.so.0 in libsqlite3-0)", "... uses _Unwind_Resume: libgcc_s.so.1
  // (libgcc-s1)".
  std::string reason;
};

struct AutoBaseChoice {
  std::string base;                   // family image name with its release: "base-nossl-debian13"
  std::vector<ExtraPackage> extras;   // exact, sorted by name; empty when the base serves alone
  std::vector<std::string> closure;   // image paths of every object loaded, sorted
  std::vector<std::string> packages;  // every package owning a closure file (base's too), sorted
  std::vector<std::string> reasons;   // one line per decision, for --explain
};

// Picks the smallest member of the release's family ladder (static,
// base-nossl, base, cc: each adds packages to the one before; NAME-RELEASE
// in the image directories, as `distill images` lists them) on which the program needs the fewest
// extra packages, and lists those packages. Reads the archive (Packages, Contents, .debs, all
// verified and cached) as a build does.
//
// Throws distill::Error (one line, kind kInvalid; archive failures keep theirs)
// when a file is not an ELF ("PATH: not an ELF file"), is for another
// machine ("PATH: ELF for aarch64, not amd64"), needs a soname no package of
// the release provides ("PATH needs libfoo.so.1, which no debian13 package
// provides"), or needs a symbol version the release's library lacks
// ("PATH needs GLIBC_2.38; debian12 has glibc 2.36, debian13 has 2.41").
AutoBaseChoice choose_base(const AutoBaseRequest& request);

}  // namespace distill::app
