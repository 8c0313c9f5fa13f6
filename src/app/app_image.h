// An app image from flags: `distill build --from BASE|auto --app PATH[:DEST]
// ... ` becomes the definition BASE (a family name, NAME:VARIANT or a
// definition file) with the app: items and config fields the flags give,
// exactly as if a definition had said `from: BASE` and listed them, so the
// base's layers are the family image's and the app's come on top.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "image/build_options.h"
#include "image/definition.h"

namespace distill::app {

struct AppRequest {
  std::string from;                                    // BASE, or "auto" (optionally auto:VARIANT)
  std::string release;                                 // --release: for auto, or a bare family name
  std::vector<std::string> apps;                       // --app PATH[:DEST], in order
  std::string owner;                                   // --app-owner UID[:GID] ("" = root)
  std::optional<std::vector<std::string>> entrypoint;  // --entrypoint
  std::optional<std::vector<std::string>> cmd;         // --cmd
  std::optional<std::string> user;                     // --user
  std::optional<std::string> workdir;                  // --workdir
  std::vector<std::string> env;                        // --env K=V
  std::vector<std::string> architectures;              // --arch, for the ELF analysis
  SourceOptions source;  // the archive the ELF analysis reads (as the build will)
};

struct AppImage {
  Definition def;                    // variant applied
  std::string variant;               // "" or the :VARIANT of --from (the default tag)
  std::vector<std::string> explain;  // the --from auto choice, one line each
};

// Loads the base (choosing it for --from auto from the first --app item, or
// the one --entrypoint names) and adds the app. Throws Error, one line, for
// a bad --app, --env or --app-owner, for --release with a base it cannot
// apply to, and for what choose_auto_base refuses.
AppImage app_definition(const AppRequest& req, const std::vector<std::string>& search_dirs);

// Parses "PATH[:DEST]" (DEST starts at the last ":/"); PATH is made absolute.
AppSpec parse_app_flag(const std::string& text);

}  // namespace distill::app
