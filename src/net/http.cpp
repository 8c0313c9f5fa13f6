#include "net/http.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "util/error.h"
#include "util/log.h"
#include "util/retry.h"
#include "util/strings.h"

namespace distill::net {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("cannot initialise libcurl");
  });
}

bool retriable_code(CURLcode c) {
  switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_COULDNT_RESOLVE_PROXY:
    // A reused connection the server had closed, under a streamed body
    // that cannot be replayed: the caller starts that body over.
    case CURLE_SEND_FAIL_REWIND:
      return true;
    default:
      return false;
  }
}

bool retriable_status(long status) {
  return status == 429 || (status >= 500 && status <= 599);
}

bool tls_code(CURLcode c) {
  switch (c) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

constexpr size_t kMaxErrorBody = 4096;

}  // namespace

// RAII for curl handles. Named (not anonymous) because Transfer, a friend
// declared in http.h, holds them.
namespace curl_handles {

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;

struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
using MultiPtr = std::unique_ptr<CURLM, MultiDeleter>;

class SList {
 public:
  SList() = default;
  ~SList() { curl_slist_free_all(list_); }
  SList(const SList&) = delete;
  SList& operator=(const SList&) = delete;
  void append(const std::string& s) {
    curl_slist* n = curl_slist_append(list_, s.c_str());
    if (!n) throw Error("out of memory building HTTP headers");
    list_ = n;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

}  // namespace curl_handles
using curl_handles::EasyPtr;
using curl_handles::MultiPtr;
using curl_handles::SList;

// The connection cache, DNS cache and TLS sessions of one Client, shared by
// its easy handles (each thread's request takes a connection another left
// open). libcurl calls lock/unlock around every access to shared data.
struct Client::Share {
  CURLSH* sh = nullptr;
  std::mutex mu[CURL_LOCK_DATA_LAST];

  Share() {
    sh = curl_share_init();
    if (!sh) throw Error("cannot create a libcurl share handle");
    curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, &Share::lock);
    curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, &Share::unlock);
    curl_share_setopt(sh, CURLSHOPT_USERDATA, this);
    curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  ~Share() { curl_share_cleanup(sh); }
  Share(const Share&) = delete;
  Share& operator=(const Share&) = delete;

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Share*>(user)->mu[data].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Share*>(user)->mu[data].unlock();
  }
};

// ---- Headers ---------------------------------------------------------------

void Headers::add(std::string name, std::string value) {
  items_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(const std::string& name, std::string value) {
  std::erase_if(items_, [&](const auto& kv) { return iequals(kv.first, name); });
  items_.emplace_back(name, std::move(value));
}

std::optional<std::string> Headers::get(std::string_view name) const {
  for (const auto& kv : items_) {
    if (iequals(kv.first, name)) return kv.second;
  }
  return std::nullopt;
}

// ---- URL helpers -----------------------------------------------------------

std::string url_scheme(std::string_view url) {
  size_t p = url.find("://");
  if (p == std::string_view::npos) return "";
  return lower(url.substr(0, p));
}

std::string url_host(std::string_view url) {
  size_t p = url.find("://");
  if (p == std::string_view::npos) return "";
  std::string_view rest = url.substr(p + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    return lower(rest.substr(1, close == std::string_view::npos ? rest.size() - 1 : close - 1));
  }
  return lower(rest.substr(0, rest.find(':')));
}

std::string redact_url(std::string_view url) {
  size_t p = url.find("://");
  if (p == std::string_view::npos) return std::string(url);
  size_t end = url.find_first_of("/?#", p + 3);
  std::string_view auth = url.substr(p + 3, end == std::string_view::npos ? url.npos : end - p - 3);
  size_t at = auth.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, p + 3)) + "***@" + std::string(url.substr(p + 3 + at + 1));
}

// ---- Transfer: one easy handle configured for one attempt -------------------

struct Transfer {
  EasyPtr easy;
  SList header_list;
  char errbuf[CURL_ERROR_SIZE] = {0};
  std::string url;
  long status = 0;
  Headers headers;
  std::string body;          // buffered body or error body
  ByteSink* sink = nullptr;  // streamed body (2xx only)
  bool sink_touched = false;
  // File target with resume.
  int fd = -1;
  std::string path;  // the file behind fd, named when writing fails (a full disk)
  uint64_t resume_from = 0;
  bool file_started = false;
  std::string file_error;
  ErrorKind file_error_kind = ErrorKind::kIo;
  bool range_mismatch = false;  // the server answered our range request with other bytes
  Progress* progress = nullptr;
  const Request* req = nullptr;
  size_t upload_pos = 0;

  static size_t on_header(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view line(data, size * n);
    if (line.starts_with("HTTP/")) {
      // A new response (redirect or 100 Continue) starts; forget the old headers.
      t->headers.clear();
      size_t sp = line.find(' ');
      if (sp != std::string_view::npos) t->status = std::strtol(line.data() + sp + 1, nullptr, 10);
      return size * n;
    }
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      t->headers.add(std::string(trim(line.substr(0, colon))),
                     std::string(trim(line.substr(colon + 1))));
    }
    return size * n;
  }

  bool is_http() const { return url_scheme(url) == "http" || url_scheme(url) == "https"; }

  long effective_status() const {
    if (!is_http()) return 200;  // file:// reports 0 on success
    return status;
  }

  static size_t on_write(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t len = size * n;
    long st = t->effective_status();
    if (st < 200 || st > 299) {
      // Keep a little of an error body for the message; never pass it on.
      if (t->body.size() < kMaxErrorBody) t->body.append(data, std::min(len, kMaxErrorBody));
      return len;
    }
    try {
      if (t->fd >= 0) return t->write_file(data, len);
      if (t->sink) {
        t->sink_touched = true;
        t->sink->write(data, len);
      } else {
        t->body.append(data, len);
      }
      if (t->progress) t->progress->add(len);
    } catch (const std::exception& e) {
      t->keep_callback_error(e);
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    return len;
  }

  size_t write_file(const char* data, size_t len) {
    if (!file_started) {
      file_started = true;
      bool partial = status == 206 && resume_from > 0;
      if (partial) {
        // Only append when the server continues exactly where we stopped.
        auto cr = headers.get("Content-Range");
        std::string expect = "bytes " + std::to_string(resume_from) + "-";
        if (!cr || !cr->starts_with(expect)) {
          range_mismatch = true;
          file_error_kind = ErrorKind::kTransient;
          file_error = "server answered the range request for " + redact_url(url) +
                       " with Content-Range '" + cr.value_or("") + "'";
          return 0;
        }
        if (::lseek(fd, 0, SEEK_END) < 0) throw_errno("cannot seek", url);
      } else {
        if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) < 0)
          throw_errno("cannot truncate download of", url);
      }
    }
    size_t done = 0;
    while (done < len) {
      ssize_t w = ::write(fd, data + done, len - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        throw_errno("cannot write", path);
      }
      done += static_cast<size_t>(w);
    }
    if (progress) progress->add(len);
    return len;
  }

  // A callback's exception cannot cross libcurl; keep it for the error.
  void keep_callback_error(const std::exception& e) {
    file_error = e.what();
    auto* err = dynamic_cast<const Error*>(&e);
    file_error_kind = err ? err->kind() : ErrorKind::kInternal;
  }

  static size_t on_read(char* buf, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t cap = size * n;
    try {
      if (t->req->body_source) return t->req->body_source->read(buf, cap);
    } catch (const std::exception& e) {
      t->keep_callback_error(e);
      return CURL_READFUNC_ABORT;
    }
    size_t left = t->req->body.size() - t->upload_pos;
    size_t k = std::min(cap, left);
    std::copy_n(t->req->body.data() + t->upload_pos, k, buf);
    t->upload_pos += k;
    return k;
  }

  // `share` (the client's, or null in a multi batch, which keeps its own
  // connections) must outlive the handle.
  void setup(const Client& client, const Request& r, CURLSH* share = nullptr) {
    global_init();
    req = &r;
    url = r.url;
    easy.reset(curl_easy_init());
    if (!easy) throw Error("cannot create a libcurl handle");
    CURL* c = easy.get();
    const ClientOptions& o = client.options();
    curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    if (share) curl_easy_setopt(c, CURLOPT_SHARE, share);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, r.follow_redirects ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o.timeouts.connect_seconds);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o.timeouts.stall_seconds);
    if (o.timeouts.total_seconds > 0)
      curl_easy_setopt(c, CURLOPT_TIMEOUT, o.timeouts.total_seconds);
    curl_easy_setopt(c, CURLOPT_USERAGENT, o.user_agent.c_str());
    // CAINFO adds to the system directory (CAPATH) that libcurl keeps using.
    if (!o.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_file.c_str());
    if (!o.verify_tls) {
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, this);
    // Redirects must not downgrade to other protocols (e.g. https -> file).
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    std::string proxy = client.proxy_for(r.url);
    if (proxy == "DIRECT") {
      curl_easy_setopt(c, CURLOPT_PROXY, "");
    } else if (!proxy.empty()) {
      curl_easy_setopt(c, CURLOPT_PROXY, proxy.c_str());
    }
    for (const auto& [k, v] : r.headers.items()) header_list.append(k + ": " + v);
    // libcurl waits up to a second for 100-continue otherwise.
    header_list.append("Expect:");
    if (r.method == "HEAD") {
      curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (r.method != "GET") {
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
      curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(c, CURLOPT_READFUNCTION, &Transfer::on_read);
      curl_easy_setopt(c, CURLOPT_READDATA, this);
      int64_t size = r.body_source ? r.body_size : static_cast<int64_t>(r.body.size());
      if (size >= 0) curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    }
    if (resume_from > 0 && is_http()) {
      std::string range = std::to_string(resume_from) + "-";
      curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());  // libcurl copies the string
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
  }

  // A one-line description of a failed attempt.
  std::string describe(CURLcode code, const Client& client) const {
    std::string what = redact_url(url);
    if (!file_error.empty()) return what + ": " + file_error;
    std::string detail = errbuf[0] ? std::string(errbuf) : curl_easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT) {
      const Timeouts& t = client.options().timeouts;
      return what + ": timed out (connect limit " + std::to_string(t.connect_seconds) +
             " s, stall limit " + std::to_string(t.stall_seconds) + " s): " + detail;
    }
    return what + ": " + detail;
  }

  // The kind of a failed attempt's error.
  ErrorKind kind(CURLcode code) const {
    if (!file_error.empty()) return file_error_kind;
    if (tls_code(code)) return ErrorKind::kTls;
    if (retriable_code(code)) return ErrorKind::kTransient;
    return ErrorKind::kNetwork;
  }

  Response response() {
    Response r;
    r.status = effective_status();
    if (!is_http() && status == 0) r.status = 200;
    r.headers = headers;
    r.body = std::move(body);
    char* eff = nullptr;
    if (curl_easy_getinfo(easy.get(), CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff) r.url = eff;
    return r;
  }
};

namespace {

void sleep_ms(long ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// file:// cannot say 404 itself.
bool missing_file(CURLcode code, const std::string& url) {
  return code == CURLE_FILE_COULDNT_READ_FILE && url_scheme(url) == "file";
}

ErrorKind status_kind(long status) {
  if (retriable_status(status)) return ErrorKind::kTransient;
  if (status == 401 || status == 403 || status == 407) return ErrorKind::kAuth;
  if (status == 404 || status == 410) return ErrorKind::kNotFound;
  return ErrorKind::kRejected;
}

std::string http_error(const Response& r, const std::string& url) {
  std::string msg = redact_url(url) + ": HTTP " + std::to_string(r.status);
  std::string body(trim(std::string_view(r.body).substr(0, 200)));
  if (!body.empty() && body.find('\0') == std::string::npos &&
      r.headers.get("Content-Type").value_or("").starts_with("text/plain"))
    msg += " (" + body + ")";
  return msg;
}

}  // namespace

// ---- Client ----------------------------------------------------------------

Client::Client(ClientOptions opts) : opts_(std::move(opts)) {
  global_init();
  share_ = std::make_unique<Share>();
}
Client::~Client() = default;

std::string Client::proxy_for(const std::string& url) const {
  std::string scheme = url_scheme(url);
  if (scheme != "http" && scheme != "https") return "";
  auto it = opts_.proxy.per_host.find(url_host(url));
  if (it != opts_.proxy.per_host.end()) return it->second;
  // The environment wins over configuration files; libcurl reads it itself.
  const char* env_names[] = {scheme == "http" ? "http_proxy" : "https_proxy",
                             scheme == "http" ? "HTTP_PROXY" : "HTTPS_PROXY", "all_proxy",
                             "ALL_PROXY"};
  for (const char* n : env_names) {
    // curl ignores upper-case HTTP_PROXY (CGI safety); so do we.
    if (std::string_view(n) == "HTTP_PROXY") continue;
    const char* v = std::getenv(n);
    if (v && *v) return "";
  }
  const std::string& p = scheme == "http" ? opts_.proxy.http : opts_.proxy.https;
  // libcurl still applies no_proxy to a proxy set this way.
  return p;
}

Response Client::send(const Request& req) {
  return send_retrying(req, nullptr);
}

Response Client::send(const Request& req, ByteSink& sink) {
  return send_retrying(req, &sink);
}

Response Client::send_retrying(const Request& req, ByteSink* sink) {
  Backoff backoff(RetryPolicy{req.retries >= 0 ? req.retries : opts_.retries, opts_.backoff_ms});
  for (;;) {
    Transfer t;
    t.sink = sink;
    t.setup(*this, req, share_->sh);
    ++attempts_;
    CURLcode code = curl_easy_perform(t.easy.get());
    // An uploaded body cannot be replayed, nor a body partly streamed out.
    bool last = backoff.exhausted() || req.body_source != nullptr || t.sink_touched;
    if (code != CURLE_OK) {
      if (missing_file(code, req.url)) {
        Response nf;
        nf.status = 404;
        nf.url = req.url;
        return nf;
      }
      if (last || !retriable_code(code))
        throw Error(t.kind(code), backoff.final_message(t.describe(code, *this)));
    } else {
      Response r = t.response();
      if (!retriable_status(r.status) || last) return r;
    }
    backoff.wait(redact_url(req.url), "");
  }
}

void Client::download(const std::string& url, const std::string& path, const Headers& headers) {
  download_all({Download{url, path, headers, 0}}, 1, nullptr);
}

namespace {

struct Job {
  const Download* d = nullptr;
  std::unique_ptr<Transfer> t;
  Request req;
  Fd fd;
  Backoff backoff{RetryPolicy{}};
  std::chrono::steady_clock::time_point not_before{};
  bool finished = false;
};

uint64_t file_size_or_zero(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

void Client::download_all(const std::vector<Download>& downloads, int parallel, Progress* progress,
                          std::vector<std::string>* job_errors) {
  if (job_errors) job_errors->assign(downloads.size(), "");
  if (downloads.empty()) return;
  parallel = std::clamp(parallel, 1, 8);
  MultiPtr multi(curl_multi_init());
  if (!multi) throw Error("cannot create a libcurl multi handle");

  std::vector<Job> jobs(downloads.size());
  std::deque<size_t> waiting;
  for (size_t i = 0; i < downloads.size(); ++i) {
    jobs[i].d = &downloads[i];
    jobs[i].backoff = Backoff(RetryPolicy{opts_.retries, opts_.backoff_ms});
    jobs[i].req.url = downloads[i].url;
    jobs[i].req.headers = downloads[i].headers;
    if (progress && downloads[i].expected_size) progress->add_total(downloads[i].expected_size);
    waiting.push_back(i);
  }
  std::vector<std::string> errors;
  ErrorKind first_kind = ErrorKind::kNetwork;
  int active = 0;

  auto start = [&](size_t i) {
    Job& j = jobs[i];
    j.t = std::make_unique<Transfer>();
    Transfer& t = *j.t;
    t.url = j.d->url;
    int fd = ::open(j.d->path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw_errno("cannot create", j.d->path);
    j.fd = Fd(fd);
    t.fd = fd;
    t.path = j.d->path;
    t.resume_from = t.is_http() ? file_size_or_zero(j.d->path) : 0;
    t.progress = progress;
    t.setup(*this, j.req);
    ++attempts_;
    if (t.resume_from > 0)
      log_verbose("resuming " + redact_url(t.url) + " at byte " + std::to_string(t.resume_from));
    curl_multi_add_handle(multi.get(), t.easy.get());
    ++active;
  };

  auto finish = [&](size_t i, CURLcode code) {
    Job& j = jobs[i];
    Transfer& t = *j.t;
    curl_multi_remove_handle(multi.get(), t.easy.get());
    --active;
    bool last = j.backoff.exhausted();
    std::string error;
    ErrorKind kind = ErrorKind::kTransient;
    bool retry = false;
    if (code != CURLE_OK) {
      if (missing_file(code, t.url)) {
        error = redact_url(t.url) + ": file not found";
        kind = ErrorKind::kNotFound;
      } else {
        error = t.describe(code, *this);
        kind = t.kind(code);
        retry = retriable_code(code) || (code == CURLE_WRITE_ERROR && t.range_mismatch);
        // A bad range answer: start over from byte 0.
        if (code == CURLE_WRITE_ERROR && retry && ::ftruncate(j.fd.get(), 0) != 0)
          throw_errno("cannot truncate", j.d->path);
      }
    } else {
      Response r = t.response();
      if (r.status == 416 && t.resume_from > 0) {
        // Our partial file does not fit the server's; restart cleanly.
        if (::ftruncate(j.fd.get(), 0) != 0) throw_errno("cannot truncate", j.d->path);
        error = http_error(r, t.url);
        retry = true;
      } else if (r.status < 200 || r.status > 299) {
        error = http_error(r, t.url);
        retry = retriable_status(r.status);
        kind = status_kind(r.status);
      }
    }
    j.t.reset();
    j.fd = Fd();
    if (error.empty()) {
      j.finished = true;
      return;
    }
    if (retry && !last) {
      j.not_before = std::chrono::steady_clock::now() + j.backoff.next(error, "");
      waiting.push_back(i);
      return;
    }
    error = j.backoff.final_message(error);
    if (job_errors) (*job_errors)[i] = error;
    if (errors.empty()) first_kind = kind;
    errors.push_back(error);
    j.finished = true;
  };

  try {
    while (active > 0 || !waiting.empty()) {
      auto now = std::chrono::steady_clock::now();
      for (size_t k = waiting.size(); k > 0 && active < parallel; --k) {
        size_t i = waiting.front();
        waiting.pop_front();
        if (jobs[i].not_before > now) {
          waiting.push_back(i);
          continue;
        }
        start(i);
      }
      int running = 0;
      CURLMcode mc = curl_multi_perform(multi.get(), &running);
      if (mc != CURLM_OK) throw Error(std::string("libcurl: ") + curl_multi_strerror(mc));
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        for (size_t i = 0; i < jobs.size(); ++i) {
          if (jobs[i].t && jobs[i].t->easy.get() == msg->easy_handle) {
            finish(i, msg->data.result);
            break;
          }
        }
      }
      if (active > 0) {
        curl_multi_poll(multi.get(), nullptr, 0, 100, nullptr);
      } else if (!waiting.empty()) {
        sleep_ms(20);
      }
    }
  } catch (...) {
    for (auto& j : jobs) {
      if (j.t) curl_multi_remove_handle(multi.get(), j.t->easy.get());
    }
    throw;
  }
  if (!errors.empty() && !job_errors) {
    std::string msg = "cannot download " + errors[0];
    if (errors.size() > 1) msg += " (and " + std::to_string(errors.size() - 1) + " more failures)";
    throw Error(first_kind, msg);
  }
}

}  // namespace distill::net
