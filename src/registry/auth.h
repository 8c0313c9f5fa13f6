// Registry authentication: anonymous, Basic, and Bearer tokens fetched from
// the realm named by the WWW-Authenticate challenge, cached per scope until
// they expire. Thread-safe: parallel transfers share one Authenticator.
// Secrets (passwords, tokens) are never logged or put in error messages.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "net/http.h"
#include "registry/challenge.h"
#include "registry/credentials.h"

namespace distill::registry {

// "repository:NAME:pull" / ":pull,push"; several scopes are joined by ' '.
std::string repository_scope(const std::string& repository, bool push);

class Authenticator {
 public:
  // `find_credential` is called at most once, when the registry first asks
  // for credentials (so helpers do not run for anonymous registries).
  Authenticator(std::string registry, net::ClientOptions client_options,
                std::function<std::optional<Credential>()> find_credential);

  // Records the registry's challenge (from /v2/ or a 401).
  void set_challenge(const std::string& www_authenticate);
  bool has_challenge();
  // The Authorization header value for a request in `scope`; "" = send none.
  // May fetch a token. Throws Error when the registry needs credentials we
  // lack or the token server refuses them.
  std::string header(const std::string& scope);
  // Drops the cached token for `scope` (the registry answered 401 with it).
  void invalidate(const std::string& scope);
  // "" or "user NAME from SOURCE", for messages (never the secret).
  std::string credential_description();

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };
  const std::optional<Credential>& credential_locked();
  std::string fetch_token(const Challenge& ch, const std::string& scope);

  std::string registry_;
  net::ClientOptions client_options_;
  std::function<std::optional<Credential>()> find_credential_;
  std::mutex mu_;
  std::optional<Challenge> challenge_;
  bool looked_up_ = false;
  std::optional<Credential> credential_;
  std::map<std::string, Token> tokens_;
};

}  // namespace distill::registry
