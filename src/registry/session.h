// One registry endpoint: picks https or (only with insecure) http by pinging
// /v2/, authenticates every request for its scope, retries once after a
// 401, and turns error answers into messages that say what to do.
// Thread-safe: parallel blob transfers share a Session, and its one
// net::Client, so every request of a session reuses open connections.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "net/http.h"
#include "registry/auth.h"
#include "registry/options.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::registry {

class Session {
 public:
  // `registry` is host[:port] as in ImageRef::registry; `api_host` where the
  // API lives. Credentials: opts.credential, else auth files (lazily).
  Session(std::string registry, std::string api_host, RegistryOptions opts);

  const std::string& registry() const { return registry_; }
  const RegistryOptions& options() const { return opts_; }
  // Options for a net::Client talking to this registry (TLS, retries).
  net::ClientOptions client_options() const;

  // "scheme://host": pings the registry on first use.
  std::string base_url();
  // Sends `req` (url: "/v2/..." or absolute) with authorization for
  // `scope`; streams a 2xx body into `sink` if given. A 401 is retried once
  // with fresh credentials unless the request streams its body.
  net::Response send(net::Request req, const std::string& scope, ByteSink* sink = nullptr);
  // The Authorization header for `scope` ("" = none), for batch downloads.
  std::string authorization(const std::string& scope);

  // Throws an Error for a failed answer: `what` says what was attempted
  // ("pushing manifest of 127.0.0.1:5000/app:1").
  [[noreturn]] void fail(const net::Response& r, const std::string& what);

  // A private directory for downloaded blobs, removed with the session.
  std::string blob_dir();

 private:
  void ping_locked();

  std::string registry_;
  std::string api_host_;
  RegistryOptions opts_;
  RegistrySettings settings_;
  std::mutex mu_;
  std::string base_url_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<net::Client> client_;  // made with the settings; kept for reuse
  std::unique_ptr<TempDir> blob_dir_;
};

// The kind of the Error for a failed HTTP answer: kTransient for 5xx/429,
// kAuth for 401/403, kNotFound for 404, kRejected otherwise.
ErrorKind status_error_kind(long status);

// Formats a registry's JSON error body ({"errors":[{"code","message"}]}).
std::string registry_error_text(const std::string& body);

}  // namespace distill::registry
