// A small HTTP client over libcurl, shared by the Debian archive client and
// the registry code. Every transfer has a connect timeout and a low-speed
// timeout, so a server that accepts and then stalls fails with a clear
// message instead of hanging. file:// URLs work too (local mirrors).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/io.h"

namespace distill {
class Progress;
}

namespace distill::net {

// Header list with case-insensitive lookup; keeps insertion order.
class Headers {
 public:
  void add(std::string name, std::string value);
  // Replaces every header called `name`.
  void set(const std::string& name, std::string value);
  std::optional<std::string> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  void clear() { items_.clear(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Timeouts {
  long connect_seconds = 15;
  // A transfer slower than 1 byte/s for this long is aborted as stalled.
  long stall_seconds = 30;
  long total_seconds = 0;  // 0 = no overall limit
};

// Where requests go when no proxy variable applies. libcurl itself honours
// http_proxy/https_proxy/no_proxy from the environment; these come from other
// configuration (apt's Acquire::http::Proxy) and win over nothing but silence.
struct ProxyConfig {
  std::string http;   // proxy URL for http:// requests, "" = none
  std::string https;  // proxy URL for https:// requests, "" = none
  // Host-specific overrides (apt's Acquire::http::Proxy::HOST); "DIRECT" = no proxy.
  std::map<std::string, std::string> per_host;
};

struct ClientOptions {
  Timeouts timeouts;
  int retries = 3;        // extra attempts after the first
  long backoff_ms = 300;  // doubled after every failed attempt
  ProxyConfig proxy;
  std::string user_agent = "distill";
  // TLS: an extra CA bundle (PEM) trusted besides the system store, and
  // whether to verify the server at all (registries' --insecure only).
  std::string ca_file;
  bool verify_tls = true;
};

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;                   // used when body_source is null
  ByteSource* body_source = nullptr;  // streamed; such a request is never retried
  int64_t body_size = -1;             // size of body_source if known
  bool follow_redirects = true;
  // Extra attempts for this request; -1 = the client's retries. A caller
  // that resumes by itself (chunked uploads) sets 0.
  int retries = -1;
};

struct Response {
  long status = 0;  // file:// successes report 200, a missing file 404
  Headers headers;
  std::string body;  // empty when streamed to a sink
  std::string url;   // effective URL after redirects
};

// One file to download in a batch.
struct Download {
  std::string url;
  std::string path;  // written here (created or resumed), not renamed
  Headers headers;
  uint64_t expected_size = 0;  // for the progress total; 0 = unknown
};

// One client keeps its connections (and DNS and TLS sessions) open across
// requests, shared by all threads using it: requests to one registry or
// mirror through one Client reuse keep-alive connections instead of
// connecting (and handshaking) per request. Thread-safe.
class Client {
 public:
  explicit Client(ClientOptions opts = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientOptions& options() const { return opts_; }

  // Sends the request and buffers the body. Connection errors, 5xx and 429
  // are retried with backoff; an HTTP error status is returned, not thrown.
  // Throws Error when the server cannot be reached or stalls.
  Response send(const Request& req);
  // Same, streaming the body into `sink` (retried only before the first byte).
  Response send(const Request& req, ByteSink& sink);

  // GETs `url` into `path`. An interrupted transfer continues from the bytes
  // already in `path` with a Range request. Throws Error unless 2xx.
  void download(const std::string& url, const std::string& path, const Headers& headers = {});

  // Downloads all files, `parallel` at a time (curl multi), each with the
  // same retry/resume rules as download(). `progress` may be null.
  // Throws the first failure after the other transfers have finished, or,
  // with `errors`, fills errors[i] ("" = success) and throws nothing.
  void download_all(const std::vector<Download>& downloads, int parallel, Progress* progress,
                    std::vector<std::string>* errors = nullptr);

  // Counts transfers actually started (each attempt), for tests and logs.
  uint64_t attempts() const { return attempts_; }

  // The proxy libcurl should use for `url`: "" = let libcurl decide from the
  // environment, otherwise a URL (or "DIRECT" handled as no proxy).
  std::string proxy_for(const std::string& url) const;

 private:
  friend struct Transfer;
  struct Share;  // libcurl's share handle with its locks
  // One request with retries; `sink` null buffers the body.
  Response send_retrying(const Request& req, ByteSink* sink);
  ClientOptions opts_;
  std::unique_ptr<Share> share_;
  std::atomic<uint64_t> attempts_{0};
};

// "http", "https", "file" ... lowercased; "" if the URL has no scheme.
std::string url_scheme(std::string_view url);
// Host part of an http(s) URL, lowercased, without port or credentials.
std::string url_host(std::string_view url);
// Removes user:password@ from a URL for messages.
std::string redact_url(std::string_view url);

}  // namespace distill::net
