#include "registry/credentials.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "registry/base64.h"
#include "registry/reference.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::registry {

namespace {

constexpr const char* kDockerHubKey = "https://index.docker.io/v1/";

// Auth file keys may be "host", "https://host", "http://host/v1/", or
// (auth.json) "host/namespace/repo". Returns the key without scheme and
// trailing slashes, with Docker Hub's aliases folded into "docker.io".
std::string normalize_key(std::string key) {
  for (const char* scheme : {"https://", "http://"}) {
    if (key.rfind(scheme, 0) == 0) {
      key = key.substr(std::string(scheme).size());
      // Scheme-style keys carry an API path ("/v1/"), not a repository.
      key = key.substr(0, key.find('/'));
      break;
    }
  }
  while (!key.empty() && key.back() == '/') key.pop_back();
  size_t slash = key.find('/');
  std::string host = key.substr(0, slash);
  if (host == "index.docker.io" || host == "registry-1.docker.io") host = kDockerHub;
  return slash == std::string::npos ? host : host + key.substr(slash);
}

// The server name a credential helper is asked about.
std::string helper_server(const std::string& registry) {
  return registry == kDockerHub ? kDockerHubKey : registry;
}

std::optional<Credential> from_auths_entry(const nlohmann::json& entry, const std::string& where) {
  if (!entry.is_object()) throw Error(where + " is not an object");
  Credential c;
  if (entry.contains("auth") && entry["auth"].is_string() &&
      !entry["auth"].get<std::string>().empty()) {
    auto decoded = base64_decode(entry["auth"].get<std::string>());
    if (!decoded) throw Error(where + ": \"auth\" is not valid base64");
    size_t colon = decoded->find(':');
    if (colon == std::string::npos)
      throw Error(where + ": \"auth\" does not decode to USER:PASSWORD");
    c.username = decoded->substr(0, colon);
    c.password = decoded->substr(colon + 1);
  } else if (entry.contains("username") && entry["username"].is_string()) {
    c.username = entry["username"].get<std::string>();
    c.password = entry.value("password", "");
  }
  if (entry.contains("identitytoken") && entry["identitytoken"].is_string())
    c.identity_token = entry["identitytoken"].get<std::string>();
  if (c.username.empty() && c.identity_token.empty()) return std::nullopt;
  return c;
}

}  // namespace

HelperRunner default_helper_runner() {
  return [](const std::vector<std::string>& argv, const std::string& input) {
    return run_process(argv, input, 60);
  };
}

Credential parse_creds_flag(const std::string& text, const std::string& flag) {
  size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0)
    throw Error(flag + " must be USER:PASSWORD (the value given has no user or no ':')");
  Credential c;
  c.username = text.substr(0, colon);
  c.password = text.substr(colon + 1);
  c.source = flag;
  return c;
}

std::optional<Credential> run_credential_helper(const std::string& name, const std::string& server,
                                                const HelperRunner& run) {
  if (name.empty() || name.find('/') != std::string::npos)
    throw Error("bad credential helper name '" + name + "'");
  std::string program = "docker-credential-" + name;
  ProcessResult r;
  try {
    r = run({program, "get"}, server + "\n");
  } catch (const Error& e) {
    throw Error("cannot run credential helper " + program + " (is it on PATH?): " + e.what());
  }
  if (r.exit_code != 0) {
    // The protocol's "not found" answer is a message on stdout and exit 1.
    std::string text = r.out + r.err;
    if (text.find("credentials not found") != std::string::npos) return std::nullopt;
    throw Error("credential helper " + program + " failed for " + server + " (exit " +
                std::to_string(r.exit_code) + ")");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(r.out);
  } catch (const nlohmann::json::exception&) {
    throw Error("credential helper " + program + " printed something that is not JSON for " +
                server);
  }
  if (!j.is_object() || !j.contains("Secret") || !j["Secret"].is_string())
    throw Error("credential helper " + program + " gave no \"Secret\" for " + server);
  Credential c;
  std::string user = j.value("Username", "");
  if (user == "<token>") {
    c.identity_token = j["Secret"].get<std::string>();
  } else {
    c.username = user;
    c.password = j["Secret"].get<std::string>();
  }
  c.source = program;
  return c;
}

std::optional<Credential> lookup_auth_file(const std::string& json_text, const std::string& path,
                                           const std::string& registry,
                                           const std::string& repository, const HelperRunner& run) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception&) {
    throw Error(path + ": not valid JSON");
  }
  if (!j.is_object()) throw Error(path + ": expected a JSON object");
  std::string host = normalize_key(registry);
  // credHelpers names a helper per registry and wins over everything else.
  if (j.contains("credHelpers") && j["credHelpers"].is_object()) {
    for (auto& [key, val] : j["credHelpers"].items()) {
      if (normalize_key(key) != host) continue;
      if (!val.is_string()) throw Error(path + ": credHelpers[\"" + key + "\"] is not a string");
      auto c = run_credential_helper(val.get<std::string>(), helper_server(registry), run);
      if (c) return c;
    }
  }
  if (j.contains("credsStore") && j["credsStore"].is_string() &&
      !j["credsStore"].get<std::string>().empty()) {
    auto c =
        run_credential_helper(j["credsStore"].get<std::string>(), helper_server(registry), run);
    if (c) return c;
  }
  if (j.contains("auths") && j["auths"].is_object()) {
    // Most specific key first: host/ns/repo, host/ns, host.
    std::vector<std::string> candidates;
    std::string scope = host + "/" + repository;
    while (true) {
      candidates.push_back(scope);
      size_t slash = scope.rfind('/');
      if (slash == std::string::npos) break;
      scope = scope.substr(0, slash);
    }
    for (const auto& want : candidates) {
      for (auto& [key, val] : j["auths"].items()) {
        if (normalize_key(key) != want) continue;
        auto c = from_auths_entry(val, path + " auths[\"" + key + "\"]");
        if (c) {
          c->source = path;
          return c;
        }
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> default_auth_files() {
  std::vector<std::string> files;
  auto add = [&](const std::string& p) {
    if (!p.empty() && path_exists(p)) files.push_back(p);
  };
  const char* env = std::getenv("REGISTRY_AUTH_FILE");
  if (env && *env) {
    add(env);
  } else if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg) {
    add(join_path(xdg, "containers/auth.json"));
  }
  if (const char* dc = std::getenv("DOCKER_CONFIG"); dc && *dc) {
    add(join_path(dc, "config.json"));
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    add(join_path(home, ".docker/config.json"));
  }
  return files;
}

std::optional<Credential> find_credentials(const std::vector<std::string>& files,
                                           const std::string& registry,
                                           const std::string& repository, const HelperRunner& run) {
  for (const auto& f : files) {
    auto c = lookup_auth_file(read_file(f), f, registry, repository, run);
    if (c) return c;
  }
  return std::nullopt;
}

}  // namespace distill::registry
