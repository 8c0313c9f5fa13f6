// Registry credentials: --creds USER:PASS, containers auth.json and Docker's
// config.json ("auths" with base64 "auth", "credHelpers", "credsStore"),
// and the docker-credential-NAME helper protocol. Secrets stay in these
// structs: nothing here logs them, and error messages name only the file,
// the registry key and the helper.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "util/process.h"

namespace distill::registry {

struct Credential {
  std::string username;
  std::string password;
  // An OAuth2 refresh token (Docker's "identitytoken", or a helper's
  // Username "<token>"), exchanged at the token endpoint.
  std::string identity_token;
  std::string source;  // where it came from, for --verbose: "--creds", "/root/.docker/config.json"
};

// Runs a helper: argv, stdin -> result. Injectable for tests.
using HelperRunner =
    std::function<ProcessResult(const std::vector<std::string>& argv, const std::string& input)>;
HelperRunner default_helper_runner();

// "USER:PASS" (the password may contain ':'). `flag` names the option in errors.
Credential parse_creds_flag(const std::string& text, const std::string& flag);

// `docker-credential-NAME get` with `server` on stdin. nullopt when the
// helper says it has nothing for the server; Error when it fails otherwise.
std::optional<Credential> run_credential_helper(const std::string& name, const std::string& server,
                                                const HelperRunner& run);

// Looks `registry` (and `repository`, for auth.json's per-repository keys)
// up in the JSON text of one auth file. `path` names the file in errors.
std::optional<Credential> lookup_auth_file(const std::string& json_text, const std::string& path,
                                           const std::string& registry,
                                           const std::string& repository, const HelperRunner& run);

// The auth files consulted, most important first: $REGISTRY_AUTH_FILE, else
// $XDG_RUNTIME_DIR/containers/auth.json; then $DOCKER_CONFIG/config.json or
// ~/.docker/config.json. Files that do not exist are left out.
std::vector<std::string> default_auth_files();

// The first credential found in `files` for the registry.
std::optional<Credential> find_credentials(const std::vector<std::string>& files,
                                           const std::string& registry,
                                           const std::string& repository, const HelperRunner& run);

}  // namespace distill::registry
