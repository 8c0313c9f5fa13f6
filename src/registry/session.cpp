#include "registry/session.h"

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/log.h"

namespace distill::registry {

std::string registry_error_text(const std::string& body) {
  try {
    auto j = nlohmann::json::parse(body);
    if (!j.is_object() || !j.contains("errors") || !j["errors"].is_array()) return "";
    std::string out;
    for (auto& e : j["errors"]) {
      if (!e.is_object()) continue;
      std::string item = e.value("code", "");
      std::string msg = e.value("message", "");
      if (!msg.empty()) item += (item.empty() ? "" : ": ") + msg;
      if (!item.empty()) out += (out.empty() ? "" : "; ") + item;
    }
    return out;
  } catch (const nlohmann::json::exception&) {
    return "";
  }
}

ErrorKind status_error_kind(long status) {
  if (status == 429 || status >= 500) return ErrorKind::kTransient;
  if (status == 401 || status == 403) return ErrorKind::kAuth;
  if (status == 404) return ErrorKind::kNotFound;
  return ErrorKind::kRejected;
}

Session::Session(std::string registry, std::string api_host, RegistryOptions opts)
    : registry_(std::move(registry)), api_host_(std::move(api_host)), opts_(std::move(opts)) {
  settings_ = settings_for(registry_, opts_);
  std::optional<Credential> given = opts_.credential;
  std::string reg = registry_;
  std::string auth_file = opts_.auth_file;
  auth_ = std::make_unique<Authenticator>(registry_, client_options(), [given, reg, auth_file]() {
    if (given) return given;
    std::vector<std::string> files =
        auth_file.empty() ? default_auth_files() : std::vector<std::string>{auth_file};
    return find_credentials(files, reg, "", default_helper_runner());
  });
  client_ = std::make_unique<net::Client>(client_options());
}

net::ClientOptions Session::client_options() const {
  net::ClientOptions o;
  o.retries = opts_.retries;
  o.backoff_ms = opts_.backoff_ms;
  o.ca_file = settings_.ca_cert;
  o.verify_tls = !settings_.insecure;
  if (opts_.timeout_seconds > 0) {
    o.timeouts.connect_seconds = opts_.timeout_seconds;
    o.timeouts.stall_seconds = opts_.timeout_seconds;
  }
  return o;
}

std::string Session::base_url() {
  std::lock_guard<std::mutex> lock(mu_);
  if (base_url_.empty()) ping_locked();
  return base_url_;
}

void Session::ping_locked() {
  auto ping = [&](const std::string& scheme, int retries) {
    net::Request req;
    req.url = scheme + "://" + api_host_ + "/v2/";
    req.retries = retries;
    return client_->send(req);
  };
  net::Response r;
  std::string scheme = "https";
  if (settings_.insecure) {
    // Insecure registries may speak plain http: try https (unverified) once,
    // then http, as docker and skopeo do for insecure registries.
    try {
      r = ping("https", 0);
    } catch (const Error& e) {
      log_verbose(registry_ + ": https failed (" + e.what() + "), trying http");
      scheme = "http";
      r = ping("http", opts_.retries);
    }
  } else {
    try {
      r = ping("https", opts_.retries);
    } catch (const Error& e) {
      std::string msg = e.what();
      if (e.kind() == ErrorKind::kTls) {
        throw Error(e.kind(), "cannot reach registry " + registry_ + " over https: " + msg +
                                  " (trust its CA with --ca-cert FILE, or use --insecure for a "
                                  "test registry)");
      }
      throw Error(e.kind(), "cannot reach registry " + registry_ + ": " + msg);
    }
  }
  if (r.status == 401) {
    auth_->set_challenge(r.headers.get("WWW-Authenticate").value_or(""));
  } else if (r.status < 200 || r.status > 299) {
    throw Error(ErrorKind::kRejected, registry_ + " does not look like a registry: " + scheme +
                                          "://" + api_host_ + "/v2/ answered HTTP " +
                                          std::to_string(r.status));
  }
  base_url_ = scheme + "://" + api_host_;
  log_verbose(registry_ + ": API at " + base_url_ +
              (r.status == 401 ? " (authentication required)" : ""));
}

std::string Session::authorization(const std::string& scope) {
  base_url();
  return auth_->header(scope);
}

net::Response Session::send(net::Request req, const std::string& scope, ByteSink* sink) {
  std::string base = base_url();
  if (req.url.rfind("/", 0) == 0) req.url = base + req.url;
  net::Client& client = *client_;
  const net::Headers given = req.headers;
  for (int attempt = 0;; ++attempt) {
    std::string h = auth_->header(scope);
    req.headers = given;
    if (!h.empty()) req.headers.set("Authorization", h);
    log_verbose(req.method + " " + net::redact_url(req.url));
    net::Response r = sink ? client.send(req, *sink) : client.send(req);
    if (r.status != 401 || attempt > 0 || req.body_source) return r;
    // A first 401: the registry wants (other) credentials or our token expired.
    auto challenge = r.headers.get("WWW-Authenticate");
    if (challenge) auth_->set_challenge(*challenge);
    auth_->invalidate(scope);
  }
}

void Session::fail(const net::Response& r, const std::string& what) {
  std::string detail = registry_error_text(r.body);
  std::string msg = what + ": " + registry_ + " answered HTTP " + std::to_string(r.status);
  if (!detail.empty()) msg += " (" + detail + ")";
  if (r.status == 401) {
    std::string who = auth_->credential_description();
    msg += who.empty()
               ? "; the registry requires credentials: pass --creds USER:PASSWORD or log "
                 "in (docker login / podman login)"
               : "; authentication failed with " + who + ": check the user name and password";
  } else if (r.status == 403) {
    msg += "; the credentials lack permission for this repository";
  }
  throw Error(status_error_kind(r.status), msg);
}

std::string Session::blob_dir() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!blob_dir_) blob_dir_ = std::make_unique<TempDir>("", "distill-blobs");
  return blob_dir_->path();
}

}  // namespace distill::registry
