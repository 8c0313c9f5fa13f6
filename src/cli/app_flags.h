// The app flags of `distill build`: --from BASE|auto, --app PATH[:DEST],
// --app-owner, --release, and the config the app runs with (--entrypoint,
// --cmd, --user, --workdir, --env). They become an app/app_image request.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/app_image.h"

namespace distill::cli {

struct AppFlags {
  std::string from;
  std::string release;
  std::vector<std::string> apps;
  std::string owner;
  std::string entrypoint, cmd, user, workdir;
  std::vector<std::string> env;
  // Set by add_app_flags: whether each config flag was given ("" clears).
  CLI::Option *entrypoint_opt = nullptr, *cmd_opt = nullptr, *user_opt = nullptr,
              *workdir_opt = nullptr;
  // Whether any flag but --from was given.
  bool any() const;
};

void add_app_flags(CLI::App* cmd, AppFlags& f);

// An argv flag: a JSON array of strings (["/bin/x", "a b"]) or words split
// at spaces; "" is the empty list. Throws Error naming `flag`.
std::vector<std::string> parse_argv_flag(const std::string& text, const std::string& flag);

// The request, BASE being `base` (--from, or the definition argument).
app::AppRequest app_request(const AppFlags& f, const std::string& base,
                            const std::vector<std::string>& architectures);

}  // namespace distill::cli
