// `distill build --from auto`: the base an app's entry file needs. An
// interpreted entry (app/interpreted.h) gets the first family image of the
// release that runs its runtime (images/common/interpreters.yaml), whose
// own entrypoint then runs the file; an ELF program gets what the ELF
// analysis picks, in choose_elf_base, the one place that calls it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/interpreted.h"
#include "image/build_options.h"

namespace distill::app {

struct AutoInput {
  std::string entry_host;                  // the entry file on the host
  std::string entry_dest;                  // where it lands in the image
  std::string shown;                       // how messages name it (the --app argument or app: line)
  std::string release;                     // --release ("" = the newest release)
  std::vector<std::string> architectures;  // --arch (Debian names; "" = the host's)
  std::vector<std::string> search_dirs;    // where family definitions are found
  // Every regular file of the app as {host path, image path}, for the ELF
  // analysis (bundled libraries found through $ORIGIN are among them).
  std::vector<std::pair<std::string, std::string>> files;
  SourceOptions source;  // the archive the ELF analysis reads
};

struct AutoChoice {
  std::string base;  // the family image to build on ("python3-debian13")
  // Packages the app needs on top of the base, installed exactly (ELF).
  std::vector<std::string> packages;
  // Whether the base's own entrypoint runs the entry (the entrypoint is then
  // the base's followed by entry_dest); otherwise it is entry_dest itself.
  bool base_entrypoint_runs_it = false;
  std::vector<std::string> explain;  // why, one line each
};

// The base for `in`. Throws Error (one line) when the entry is neither an ELF
// nor a recognised script, when no family image of the release runs its
// runtime, and for an unknown --release.
AutoChoice choose_auto_base(const AutoInput& in);

// The release --from auto picks within: `release` checked against the
// releases in `search_dirs`, or the newest one when it is "".
std::string auto_release(const std::string& release, const std::vector<std::string>& search_dirs);

}  // namespace distill::app
