#include "registry/auth.h"

#include <nlohmann/json.hpp>

#include "registry/base64.h"
#include "registry/url.h"
#include "util/error.h"
#include "util/log.h"

namespace distill::registry {

namespace {

std::string basic_header(const Credential& c) {
  return "Basic " + base64_encode(c.username + ":" + c.password);
}

std::vector<std::string> split_scopes(const std::string& scope) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < scope.size()) {
    size_t j = scope.find(' ', i);
    if (j == std::string::npos) j = scope.size();
    if (j > i) out.push_back(scope.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string repository_scope(const std::string& repository, bool push) {
  return "repository:" + repository + (push ? ":pull,push" : ":pull");
}

Authenticator::Authenticator(std::string registry, net::ClientOptions client_options,
                             std::function<std::optional<Credential>()> find_credential)
    : registry_(std::move(registry)),
      client_options_(std::move(client_options)),
      find_credential_(std::move(find_credential)) {}

void Authenticator::set_challenge(const std::string& www_authenticate) {
  auto all = parse_challenges(www_authenticate);
  std::lock_guard<std::mutex> lock(mu_);
  // Prefer Bearer (scoped, short-lived) over Basic when both are offered.
  for (const char* want : {"bearer", "basic"}) {
    for (auto& ch : all) {
      if (ch.scheme == want) {
        challenge_ = ch;
        return;
      }
    }
  }
  if (!all.empty())
    throw Error(registry_ + " asks for unsupported authentication '" + all[0].scheme +
                "' (distill speaks Basic and Bearer)");
}

bool Authenticator::has_challenge() {
  std::lock_guard<std::mutex> lock(mu_);
  return challenge_.has_value();
}

const std::optional<Credential>& Authenticator::credential_locked() {
  if (!looked_up_) {
    looked_up_ = true;
    credential_ = find_credential_ ? find_credential_() : std::nullopt;
    if (credential_) {
      log_verbose(registry_ + ": using credentials " +
                  (credential_->username.empty() ? std::string("(identity token)")
                                                 : "for user " + credential_->username) +
                  " from " + credential_->source);
    } else {
      log_verbose(registry_ + ": no credentials found, trying anonymous access");
    }
  }
  return credential_;
}

std::string Authenticator::credential_description() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!looked_up_ || !credential_) return "";
  const Credential& c = *credential_;
  return (c.username.empty() ? std::string("an identity token") : "user '" + c.username + "'") +
         " from " + c.source;
}

void Authenticator::invalidate(const std::string& scope) {
  std::lock_guard<std::mutex> lock(mu_);
  tokens_.erase(scope);
}

std::string Authenticator::header(const std::string& scope) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!challenge_) return "";
  if (challenge_->scheme == "basic") {
    const auto& cred = credential_locked();
    if (!cred || cred->username.empty()) {
      throw Error(registry_ +
                  " requires a user name and password: pass --creds USER:PASSWORD or log in "
                  "(docker login / podman login)");
    }
    return basic_header(*cred);
  }
  auto now = std::chrono::steady_clock::now();
  auto it = tokens_.find(scope);
  if (it != tokens_.end() && it->second.expires > now) return "Bearer " + it->second.value;
  std::string token = fetch_token(*challenge_, scope);
  return "Bearer " + token;
}

std::string Authenticator::fetch_token(const Challenge& ch, const std::string& scope) {
  std::string realm = ch.param("realm");
  if (realm.empty()) throw Error(registry_ + " sent a Bearer challenge without a realm");
  std::string scheme = net::url_scheme(realm);
  if (scheme != "https" && scheme != "http")
    throw Error(registry_ + ": token realm '" + realm + "' is not an http(s) URL");
  const auto& cred = credential_locked();
  std::vector<std::string> scopes = split_scopes(scope);
  if (scopes.empty() && !ch.param("scope").empty()) scopes = split_scopes(ch.param("scope"));
  net::Client client(client_options_);
  net::Request req;
  if (cred && !cred->identity_token.empty()) {
    // OAuth2 refresh-token grant, as Docker does with identity tokens.
    req.method = "POST";
    req.url = realm;
    req.headers.set("Content-Type", "application/x-www-form-urlencoded");
    std::string body = "grant_type=refresh_token&client_id=distill&refresh_token=" +
                       url_encode(cred->identity_token);
    if (!ch.param("service").empty()) body += "&service=" + url_encode(ch.param("service"));
    for (auto& s : scopes) body += "&scope=" + url_encode(s);
    req.body = body;
  } else {
    req.url = realm;
    if (!ch.param("service").empty()) req.url = add_query(req.url, "service", ch.param("service"));
    for (auto& s : scopes) req.url = add_query(req.url, "scope", s);
    if (cred && !cred->username.empty()) req.headers.set("Authorization", basic_header(*cred));
  }
  log_verbose(registry_ + ": requesting a token from " + net::redact_url(realm) +
              (scopes.empty() ? "" : " for " + scope));
  net::Response r = client.send(req);
  if (r.status == 401 || r.status == 403) {
    if (cred) {
      throw Error(registry_ + ": the token server " + net::redact_url(realm) +
                  " refused the credentials (" +
                  (cred->username.empty() ? std::string("identity token")
                                          : "user '" + cred->username + "'") +
                  " from " + cred->source + "): HTTP " + std::to_string(r.status) +
                  "; check the user name and password");
    }
    throw Error(registry_ + " requires credentials (the token server " + net::redact_url(realm) +
                " answered HTTP " + std::to_string(r.status) +
                "): pass --creds USER:PASSWORD or log in (docker login / podman login)");
  }
  if (r.status < 200 || r.status > 299) {
    throw Error(registry_ + ": the token server " + net::redact_url(realm) + " answered HTTP " +
                std::to_string(r.status));
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(r.body);
  } catch (const nlohmann::json::exception&) {
    throw Error(registry_ + ": the token server " + net::redact_url(realm) +
                " did not answer with JSON");
  }
  std::string token;
  if (j.is_object()) {
    if (j.contains("token") && j["token"].is_string()) token = j["token"].get<std::string>();
    if (token.empty() && j.contains("access_token") && j["access_token"].is_string())
      token = j["access_token"].get<std::string>();
  }
  if (token.empty())
    throw Error(registry_ + ": the token server " + net::redact_url(realm) + " gave no token");
  // Tokens without expires_in live 60 s (distribution's token spec).
  long lifetime = 60;
  if (j.contains("expires_in") && j["expires_in"].is_number_integer())
    lifetime = std::max<long>(j["expires_in"].get<long>(), 10);
  tokens_[scope] =
      Token{token, std::chrono::steady_clock::now() + std::chrono::seconds(lifetime - 5)};
  return token;
}

}  // namespace distill::registry
