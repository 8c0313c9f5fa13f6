#include "cli/app_flags.h"

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/strings.h"

namespace distill::cli {

bool AppFlags::any() const {
  return !apps.empty() || !release.empty() || !owner.empty() || !env.empty() ||
         entrypoint_opt->count() || cmd_opt->count() || user_opt->count() || workdir_opt->count();
}

void add_app_flags(CLI::App* cmd, AppFlags& f) {
  const char* group = "App image";
  cmd->add_option("--from", f.from,
                  "Build on BASE (a family name, NAME:VARIANT or a definition file) with the "
                  "--app files on top; auto picks the base from the app's entry file "
                  "(python3, node, a jar)")
      ->group(group);
  cmd->add_option("--app", f.apps,
                  "Copy the host file or directory PATH into the image at DEST (default "
                  "/app/NAME; DEST/ puts it inside), one layer each, on top of the base "
                  "(repeatable)")
      ->group(group);
  cmd->add_option("--app-owner", f.owner, "Owner UID[:GID] of the --app files (default root)")
      ->group(group);
  cmd->add_option("--release", f.release,
                  "The release --from auto, or a bare family name, picks within (e.g. debian12)")
      ->group(group);
  f.entrypoint_opt = cmd->add_option("--entrypoint", f.entrypoint,
                                     "The image's entrypoint: words, or a JSON array; '' clears "
                                     "it (default: the first --app item, if executable)")
                         ->group(group);
  f.cmd_opt =
      cmd->add_option("--cmd", f.cmd, "The image's cmd: words, or a JSON array")->group(group);
  f.user_opt = cmd->add_option("--user", f.user, "The user the app runs as (UID[:GID] or a name)")
                   ->group(group);
  f.workdir_opt =
      cmd->add_option("--workdir", f.workdir, "The app's working directory")->group(group);
  cmd->add_option("--env", f.env, "Set K=V in the image's environment (repeatable)")->group(group);
}

std::vector<std::string> parse_argv_flag(const std::string& text, const std::string& flag) {
  std::string t(trim(text));
  if (t.empty() || t[0] != '[') return split_list(t, ' ');
  nlohmann::json j = nlohmann::json::parse(t, nullptr, false);
  std::vector<std::string> out;
  bool ok = j.is_array();
  for (const auto& w : ok ? j : nlohmann::json::array()) {
    if (!w.is_string()) ok = false;
    if (ok) out.push_back(w.get<std::string>());
  }
  if (!ok) throw Error(flag + " '" + text + "' must be words or a JSON array of strings");
  return out;
}

app::AppRequest app_request(const AppFlags& f, const std::string& base,
                            const std::vector<std::string>& architectures) {
  app::AppRequest r;
  r.from = base;
  r.release = f.release;
  r.apps = f.apps;
  r.owner = f.owner;
  if (f.entrypoint_opt->count()) r.entrypoint = parse_argv_flag(f.entrypoint, "--entrypoint");
  if (f.cmd_opt->count()) r.cmd = parse_argv_flag(f.cmd, "--cmd");
  if (f.user_opt->count()) r.user = f.user;
  if (f.workdir_opt->count()) r.workdir = f.workdir;
  r.env = f.env;
  r.architectures = architectures;
  return r;
}

}  // namespace distill::cli
