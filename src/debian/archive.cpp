#include "debian/archive.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <set>
#include <system_error>
#include <thread>

#include "debian/apt_sources.h"
#include "debian/deb822.h"
#include "debian/signature.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/handles.h"
#include "util/log.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace distill::debian {

namespace {

std::atomic<uint64_t> g_indices_decoded{0};
std::atomic<uint64_t> g_signatures_verified{0};

void check_pool_path(const std::string& path, const std::string& what) {
  if (path.empty() || path.starts_with("/") || path.find("..") != std::string::npos)
    throw Error(what + ": refusing file name '" + path + "'");
}

net::Request get(const std::string& url) {
  net::Request r;
  r.url = url;
  return r;
}

// The GET of an InRelease with the cached copy's validators, so an
// unchanged Release costs a 304 and no body. A detached Release is asked
// unconditionally (its signature is a second file the validators do not cover).
net::Request release_request(const std::string& in_url,
                             const std::optional<Cache::ReleaseState>& cached) {
  net::Request req = get(in_url);
  if (cached && cached->signature.empty()) {
    if (!cached->etag.empty()) req.headers.add("If-None-Match", cached->etag);
    if (!cached->last_modified.empty()) req.headers.add("If-Modified-Since", cached->last_modified);
  }
  return req;
}

bool serves_arch(const Repository& repo, const std::string& arch) {
  return arch.empty() || repo.architectures.empty() ||
         std::find(repo.architectures.begin(), repo.architectures.end(), arch) !=
             repo.architectures.end();
}

// Removes temp downloads that never made it into the cache.
struct TempFiles {
  std::vector<std::string> paths;
  ~TempFiles() {
    for (auto& p : paths) ::unlink(p.c_str());
  }
};

// The Debian archive keyring plus etc/apt/trusted.gpg(.d), comma-separated.
std::string global_keyrings(const std::string& etc) {
  std::string keys = kDebianArchiveKeyring;
  if (path_exists(join_path(etc, "trusted.gpg"))) keys += "," + join_path(etc, "trusted.gpg");
  std::string d = join_path(etc, "trusted.gpg.d");
  if (DirPtr dir = open_dir(d)) {
    std::vector<std::string> names;
    while (dirent* e = ::readdir(dir.get())) {
      std::string n = e->d_name;
      if (n.ends_with(".gpg") || n.ends_with(".asc")) names.push_back(n);
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names) keys += "," + join_path(d, n);
  }
  return keys;
}

}  // namespace

uint64_t indices_decoded() {
  return g_indices_decoded.load();
}

uint64_t signatures_verified() {
  return g_signatures_verified.load();
}

std::vector<Repository> host_repositories(const std::string& apt_root) {
  std::vector<Repository> out;
  std::string etc =
      apt_root == "/" || apt_root.empty() ? "/etc/apt" : join_path(apt_root, "etc/apt");
  for (const auto& s : read_apt_sources(apt_root)) {
    Repository r;
    r.uri = strip_trailing_slashes(s.uri);
    r.suites = s.suites;
    r.components = s.components;
    r.architectures = s.architectures;
    r.keyring_data = s.signed_by_key;
    for (const auto& k : s.signed_by) r.keyring += (r.keyring.empty() ? "" : ",") + k;
    // Without Signed-By apt trusts its global keyrings as well.
    if (r.keyring.empty() && r.keyring_data.empty()) r.keyring = global_keyrings(etc);
    r.set_by = "from " + s.where;
    out.push_back(std::move(r));
  }
  if (out.empty())
    throw Error("no apt sources found under " + etc + "; give repositories: in the definition");
  return out;
}

bool is_security_suite(const std::string& suite) {
  return suite.ends_with("-security") || suite.ends_with("/updates");
}

int64_t parse_snapshot_timestamp(const std::string& ts, const std::string& set_by) {
  bool ok = ts.size() == 16 && ts[8] == 'T' && ts[15] == 'Z';
  for (size_t i = 0; ok && i < 15; ++i)
    if (i != 8 && (ts[i] < '0' || ts[i] > '9')) ok = false;
  std::tm tm{};
  if (ok) {
    auto num = [&](size_t pos, size_t n) { return std::stoi(ts.substr(pos, n)); };
    tm.tm_year = num(0, 4) - 1900;
    tm.tm_mon = num(4, 2) - 1;
    tm.tm_mday = num(6, 2);
    tm.tm_hour = num(9, 2);
    tm.tm_min = num(11, 2);
    tm.tm_sec = num(13, 2);
    ok = tm.tm_mon >= 0 && tm.tm_mon < 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 &&
         tm.tm_hour < 24 && tm.tm_min < 60 && tm.tm_sec < 61;
  }
  if (!ok)
    throw Error(set_by + ": snapshot timestamp '" + ts +
                "' is not of the form YYYYMMDDTHHMMSSZ (e.g. 20260818T205150Z)");
  return static_cast<int64_t>(::timegm(&tm));
}

namespace {

// The URIs (and what set them) that replace the main and the security archive.
struct Overrides {
  std::string main, main_by, security, security_by;
};

Overrides overrides(const ArchiveOptions& o) {
  Overrides v;
  if (!o.snapshot.empty()) {
    parse_snapshot_timestamp(o.snapshot, o.snapshot_set_by);
    if (!o.mirror.empty() || !o.security_mirror.empty()) {
      throw Error(o.snapshot_set_by + " and " +
                  (o.mirror.empty() ? o.security_mirror_set_by : o.mirror_set_by) +
                  " both choose the archive; give one of them");
    }
    if (o.snapshot_uri.empty()) {
      throw Error(o.snapshot_set_by + " " + o.snapshot +
                  " needs the snapshot service's base URI: give --snapshot-uri URI or set "
                  "DISTILL_SNAPSHOT_URI");
    }
    std::string base = strip_trailing_slashes(o.snapshot_uri);
    std::string by = "set by " + o.snapshot_set_by + " " + o.snapshot + " at " + base;
    v.main = base + "/archive/debian/" + o.snapshot;
    v.security = base + "/archive/debian-security/" + o.snapshot;
    v.main_by = v.security_by = by;
    return v;
  }
  if (!o.mirror.empty()) {
    v.main = strip_trailing_slashes(o.mirror);
    v.main_by = "set by " + o.mirror_set_by;
  }
  if (!o.security_mirror.empty()) {
    v.security = strip_trailing_slashes(o.security_mirror);
    v.security_by = "set by " + o.security_mirror_set_by;
  }
  return v;
}

}  // namespace

std::vector<Repository> select_sources(std::vector<Repository> repos, const ArchiveOptions& opts) {
  Overrides ov = overrides(opts);
  std::vector<Repository> out;
  auto add = [&](Repository r) {
    if (r.suites.empty()) return;
    // Merge duplicates that the overrides create (bookworm and bookworm-updates
    // from two host lines now on one mirror).
    auto same = std::find_if(out.begin(), out.end(), [&](const Repository& o) {
      return o.uri == r.uri && o.components == r.components && o.keyring == r.keyring &&
             o.keyring_data == r.keyring_data && o.architectures == r.architectures;
    });
    if (same == out.end()) return out.push_back(std::move(r));
    for (auto& suite : r.suites) {
      if (std::find(same->suites.begin(), same->suites.end(), suite) == same->suites.end())
        same->suites.push_back(suite);
    }
  };
  for (auto& r : repos) {
    r.uri = strip_trailing_slashes(r.uri);
    Repository main = r, security = r;
    main.suites.clear();
    security.suites.clear();
    for (const auto& suite : r.suites)
      (is_security_suite(suite) ? security : main).suites.push_back(suite);
    if (!ov.main.empty()) {
      main.uri = ov.main;
      main.set_by = ov.main_by;
    }
    if (!ov.security.empty()) {
      security.uri = ov.security;
      security.set_by = ov.security_by;
    }
    add(std::move(main));
    add(std::move(security));
  }
  return out;
}

namespace {

// Suite names of the Debian archive, by codename or by alias: a host line
// whose suite starts with one of these is a Debian line a release renames.
// Lines of other archives (a vendor's "nodistro", "cloud-sdk-bookworm")
// are not Debian suites and stay out of a release's build.
constexpr const char* kDebianSuites[] = {
    "buster", "bullseye",  "bookworm",     "trixie",  "forky",    "duke",        "sid",
    "stable", "oldstable", "oldoldstable", "testing", "unstable", "experimental"};

// "trixie-updates" for ("bookworm-updates", "trixie"); "" if `suite` is not Debian's.
std::string renamed_suite(const std::string& suite, const std::string& codename) {
  size_t cut = suite.find_first_of("-/");
  std::string base = suite.substr(0, cut);
  if (std::find(std::begin(kDebianSuites), std::end(kDebianSuites), base) ==
      std::end(kDebianSuites))
    return "";
  std::string rest = cut == std::string::npos ? "" : suite.substr(cut);
  return codename + (rest == "/updates" ? "-security" : rest);
}

bool listed(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

std::vector<Repository> retarget_sources(std::vector<Repository> host,
                                         const ReleaseSuites& release) {
  if (release.codename.empty()) return host;
  std::vector<Repository> out;
  std::string seen;
  for (auto& r : host) {
    for (const auto& s : r.suites) seen += (seen.empty() ? "" : ", ") + s;
    std::vector<std::string> suites;
    for (const auto& s : r.suites) {
      std::string n = renamed_suite(s, release.codename);
      if (!n.empty() && listed(release.suites, n) && !listed(suites, n)) suites.push_back(n);
    }
    std::vector<std::string> components;
    for (const auto& c : r.components.empty() ? release.components : r.components)
      if (listed(release.components, c)) components.push_back(c);
    if (suites.empty() || components.empty()) {
      log_verbose("release " + release.name + ": not using " + r.uri + " (" + r.set_by + ")");
      continue;
    }
    r.suites = std::move(suites);
    r.components = std::move(components);
    r.set_by += ", renamed for release " + release.name;
    out.push_back(std::move(r));
  }
  if (out.empty()) {
    throw Error("release " + release.name + ": no Debian line in the host's apt sources (suites " +
                (seen.empty() ? "none" : seen) +
                ") to take its suites from; give repositories: " + "in the definition");
  }
  return out;
}

std::vector<Repository> limit_suites(std::vector<Repository> repos,
                                     const std::vector<std::string>& suites,
                                     const std::string& set_by) {
  if (suites.empty()) return repos;
  std::vector<std::string> have;
  for (const auto& r : repos)
    for (const auto& s : r.suites)
      if (!listed(have, s)) have.push_back(s);
  for (const auto& want : suites) {
    if (listed(have, want)) continue;
    std::string list;
    for (const auto& s : have) list += (list.empty() ? "" : ", ") + s;
    throw Error(set_by + ": no repository has suite '" + want +
                "' (the repositories have: " + list + ")");
  }
  std::vector<Repository> out;
  for (auto& r : repos) {
    std::vector<std::string> kept;
    for (const auto& s : r.suites)
      if (listed(suites, s)) kept.push_back(s);
    if (kept.empty()) continue;
    r.suites = std::move(kept);
    out.push_back(std::move(r));
  }
  return out;
}

Archive::Archive(ArchiveOptions opts) : opts_(std::move(opts)) {
  for (const auto& r : opts_.repositories)
    if (r.suites.empty()) throw Error("repository " + r.uri + " has no suites");
  std::vector<Repository> repos = opts_.repositories;
  if (repos.empty()) repos = retarget_sources(host_repositories(opts_.apt_root), opts_.release);
  repos_ = limit_suites(select_sources(std::move(repos), opts_), opts_.suites, opts_.suites_set_by);
  // An archive as it was at the snapshot time: its Valid-Until is checked against then.
  if (!opts_.snapshot.empty() && opts_.now == 0)
    opts_.now = parse_snapshot_timestamp(opts_.snapshot, opts_.snapshot_set_by);
  cache_ = std::make_unique<Cache>(opts_.cache_dir);
  net::ClientOptions http = opts_.http;
  if (http.proxy.http.empty() && http.proxy.https.empty() && http.proxy.per_host.empty())
    http.proxy = apt_proxy_config(read_apt_conf(opts_.apt_root));
  client_ = std::make_unique<net::Client>(http);
  if (opts_.insecure_skip_signatures)
    log_warn(
        "INSECURE: repository signatures are NOT verified (--insecure-skip-signatures); "
        "anyone who can alter the repository or the connection controls this image");
}

Archive::~Archive() = default;

Archive::BlobRequest Archive::index_request(const VerifiedRelease& v, const ReleaseEntry& e) {
  BlobRequest req;
  req.sha256 = e.sha256;
  req.size = e.size;
  req.url = v.base + "/" + e.path;
  if (v.release.acquire_by_hash) {
    req.fallback_url = req.url;
    req.url = v.base + "/" + parent_dir(e.path) + "/by-hash/SHA256/" + e.sha256;
  }
  req.what = v.base + "/" + e.path;
  return req;
}

const Archive::VerifiedRelease& Archive::release(const Repository& repo, const std::string& suite) {
  std::string base = repo.uri + "/dists/" + suite;
  if (auto it = releases_.find(base); it != releases_.end()) return it->second;
  std::string in_url = base + "/InRelease";
  Cache::Lock lock = cache_->lock(in_url);
  std::optional<Cache::ReleaseState> cached = cache_->load_release(in_url);
  Cache::ReleaseState state;
  bool changed = true;
  if (opts_.offline) {
    if (!cached)
      throw Error("offline: " + in_url + " is not in the cache " + cache_->dir() +
                  "; run once without --offline to fetch it");
    state = *cached;
    changed = false;
  } else {
    net::Request req = release_request(in_url, cached);
    net::Response resp;
    bool speculated = false;
    auto p = pending_.find(in_url);
    if (p == pending_.end()) {
      resp = client_->send(req);
    } else if (PendingRelease& pr = *p->second; opts_.speculate_releases && cached &&
                                                !pr.based_on.empty() &&
                                                pr.request.headers.items() == req.headers.items()) {
      // Taken now; confirm_releases() compares the mirror's answer with it.
      pr.used = cached->inrelease;
      resp.status = 304;
      speculated = true;
      log_verbose(in_url + ": going ahead with the cached copy while the mirror is asked");
    } else {
      if (pr.thread.joinable()) pr.thread.join();
      // No answer after the client's retries: asking again would only double the wait.
      if (pr.error) std::rethrow_exception(pr.error);
      if (pr.response && pr.request.headers.items() == req.headers.items()) {
        resp = std::move(*pr.response);
      } else {
        resp = client_->send(req);  // the cache changed meanwhile (another build)
      }
      pending_.erase(p);
    }
    if (resp.status == 304 && cached) {
      state = *cached;
      changed = false;
      if (!speculated) log_verbose(in_url + ": not modified");
    } else if (resp.status == 200) {
      state.inrelease = std::move(resp.body);
      state.etag = resp.headers.get("ETag").value_or("");
      state.last_modified = resp.headers.get("Last-Modified").value_or("");
      changed = !cached || cached->inrelease != state.inrelease;
    } else if (resp.status == 404) {
      // Older repositories only have Release + Release.gpg.
      net::Response rel = client_->send(get(base + "/Release"));
      if (rel.status == 404)
        throw Error("suite " + suite + " not found at " + repo.uri + "/" +
                    (repo.set_by.empty() ? "" : " (" + repo.set_by + ")") +
                    ": no InRelease or Release under " + base);
      if (rel.status != 200) throw Error(base + "/Release: HTTP " + std::to_string(rel.status));
      net::Response sig = client_->send(get(base + "/Release.gpg"));
      if (sig.status != 200 && !opts_.insecure_skip_signatures)
        throw Error(base + "/Release.gpg: HTTP " + std::to_string(sig.status) +
                    " (the repository is unsigned)");
      state.inrelease = std::move(rel.body);
      state.signature = sig.status == 200 ? std::move(sig.body) : "";
      changed =
          !cached || cached->inrelease != state.inrelease || cached->signature != state.signature;
    } else {
      throw Error(in_url + ": HTTP " + std::to_string(resp.status));
    }
  }

  bool detached = !state.signature.empty() || !state.inrelease.starts_with("-----BEGIN PGP");
  int64_t now = opts_.now ? opts_.now : static_cast<int64_t>(std::time(nullptr));
  std::string where = detached ? base + "/Release" : in_url;
  std::string text;
  if (opts_.insecure_skip_signatures) {
    log_warn("INSECURE: not verifying the signature of " + where);
    text = detached ? state.inrelease : clearsigned_body(state.inrelease, where);
  } else {
    std::vector<std::string> keys = split_list(repo.keyring);
    Keyring keyring(keys, repo.keyring_data);
    // gpgv costs more than the rest of a warm build; a Release already
    // verified under the same keyrings (today) is taken from the memo.
    std::string key = verification_key(state.inrelease, state.signature, keyring, now);
    if (auto memo = cache_->load_verified(where, key)) {
      text = std::move(*memo);
      remove_stale_verification_temps();
    } else {
      text = detached ? verify_detached(state.inrelease, state.signature, keyring, where)
                      : verify_clearsigned(state.inrelease, keyring, where);
      ++g_signatures_verified;
      cache_->store_verified(where, key, text);
    }
  }
  VerifiedRelease v;
  v.release = parse_release(text, where);
  check_valid_until(v.release, now, where);
  if (v.release.suite != suite && v.release.codename != suite)
    log_warn(where + ": Release is for suite '" + v.release.suite + "' (codename '" +
             v.release.codename + "'), not '" + suite + "'");
  v.sha256 = sha256_hex(state.inrelease);
  v.base = base;
  // Only verified Release files enter the cache.
  if (changed && !opts_.offline) cache_->store_release(in_url, state);
  release_order_.push_back(base);
  return releases_.emplace(base, std::move(v)).first->second;
}

void Archive::prefetch_releases(const std::string& arch) {
  if (opts_.offline) return;
  for (const auto& repo : repos_) {
    if (!serves_arch(repo, arch)) continue;
    for (const auto& suite : repo.suites) {
      std::string base = repo.uri + "/dists/" + suite;
      std::string url = base + "/InRelease";
      if (releases_.count(base) || pending_.count(url)) continue;
      std::optional<Cache::ReleaseState> cached;
      {
        Cache::Lock lock = cache_->lock(url);
        cached = cache_->load_release(url);
      }
      auto pr = std::make_unique<PendingRelease>();
      pr->request = release_request(url, cached);
      // A detached Release is asked unconditionally (release_request): nothing to go ahead with.
      if (cached && cached->signature.empty()) pr->based_on = std::move(cached->inrelease);
      PendingRelease* raw = pr.get();
      try {
        raw->thread = std::jthread([this, raw] {
          try {
            raw->response = client_->send(raw->request);
          } catch (...) {
            raw->error = std::current_exception();
          }
        });
      } catch (const std::system_error&) {
        continue;  // no thread: release() asks the usual way
      }
      pending_.emplace(url, std::move(pr));
    }
  }
}

bool Archive::confirm_releases() {
  // Every answer is complete once its thread is joined.
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [url, pr] : pending)
    if (pr->thread.joinable()) pr->thread.join();
  // A mirror that did not answer (after the client's retries) fails the
  // build as it would have without speculation, the first in the sources'
  // order as release() would have met it.
  for (const auto& repo : repos_) {
    for (const auto& suite : repo.suites) {
      auto it = pending.find(repo.uri + "/dists/" + suite + "/InRelease");
      if (it != pending.end() && !it->second->used.empty() && it->second->error)
        std::rethrow_exception(it->second->error);
    }
  }
  bool fresh = true;
  for (auto& [url, pr] : pending) {
    if (pr->used.empty()) continue;  // never gone ahead with
    const std::optional<net::Response>& r = pr->response;
    if (r && r->status == 304 && pr->based_on == pr->used) continue;
    if (r && r->status == 200 && r->body == pr->used) {
      // The same bytes under new validators: keep those, so the next build gets a 304.
      Cache::ReleaseState state;
      state.inrelease = pr->used;
      state.etag = r->headers.get("ETag").value_or("");
      state.last_modified = r->headers.get("Last-Modified").value_or("");
      try {
        Cache::Lock lock = cache_->lock(url);
        cache_->store_release(url, state);
      } catch (const std::exception& e) {
        log_verbose(url + ": validators not cached (" + e.what() + ")");
      }
      continue;
    }
    log_verbose(url + ": changed on the mirror (HTTP " +
                (r ? std::to_string(r->status) : std::string("no answer")) +
                ") while the build went ahead with the cached copy");
    fresh = false;
  }
  return fresh;
}

std::vector<LockedRelease> Archive::releases() const {
  std::vector<LockedRelease> out;
  for (const auto& base : release_order_) {
    const VerifiedRelease& v = releases_.at(base);
    size_t d = base.rfind("/dists/");
    out.push_back({base.substr(0, d), base.substr(d + 7), v.sha256, v.release.date});
  }
  return out;
}

const PackageIndex& Archive::index(const std::string& arch) {
  if (auto it = indices_.find(arch); it != indices_.end()) return *it->second;
  struct Part {
    PackageOrigin origin;
    std::string where;
  };
  std::vector<BlobRequest> requests;
  std::vector<Part> parts;
  prefetch_releases(arch);
  for (const auto& repo : repos_) {
    if (!serves_arch(repo, arch)) continue;
    for (const auto& suite : repo.suites) {
      const VerifiedRelease& v = release(repo, suite);
      std::vector<std::string> comps =
          repo.components.empty() ? v.release.components : repo.components;
      for (const auto& comp : comps) {
        const ReleaseEntry* e = find_packages(v.release, comp, arch);
        if (!e) {
          log_warn(repo.uri + " " + suite + ": no " + comp + "/binary-" + arch +
                   "/Packages in the Release file; skipped");
          continue;
        }
        BlobRequest req = index_request(v, *e);
        requests.push_back(req);
        parts.push_back({{repo.uri, suite, comp, v.sha256}, v.base + "/" + e->path});
      }
    }
  }
  std::vector<std::shared_ptr<const IndexFile>> files(parts.size());
  std::vector<BlobRequest> missing;
  std::vector<size_t> missing_at;
  for (size_t i = 0; i < parts.size(); ++i) {
    if ((files[i] = cached_index(requests[i].sha256))) continue;
    missing.push_back(requests[i]);
    missing_at.push_back(i);
  }
  std::vector<std::string> paths = fetch_blobs(missing, "Package lists");
  for (size_t k = 0; k < missing.size(); ++k) {
    size_t i = missing_at[k];
    files[i] = store_index(paths[k], requests[i].sha256, parts[i].where);
  }
  auto index = std::make_unique<PackageIndex>();
  for (size_t i = 0; i < parts.size(); ++i) {
    BlobRequest req = requests[i];
    std::string where = parts[i].where;
    index->add_file(files[i], parts[i].origin, [this, req, where] {
      return store_index(fetch_blobs({req}, "Package lists").at(0), req.sha256, where);
    });
  }
  log_verbose(arch + ": " + std::to_string(index->size()) + " packages (" +
              std::to_string(missing.size()) + " of " + std::to_string(parts.size()) +
              " indices decoded)");
  g_indices_decoded += missing.size();
  return *indices_.emplace(arch, std::move(index)).first->second;
}

std::vector<Archive::ContentsFile> Archive::contents(const std::string& arch) {
  std::vector<BlobRequest> requests;
  std::vector<ContentsFile> out;
  std::vector<size_t> fetched;  // index in `out` of each request
  prefetch_releases("");
  for (const auto& repo : repos_) {
    for (const auto& suite : repo.suites) {
      const VerifiedRelease& v = release(repo, suite);
      std::vector<std::string> comps =
          repo.components.empty() ? v.release.components : repo.components;
      for (const auto& comp : comps) {
        ContentsFile f{
            {repo.uri, suite, comp, v.sha256}, v.base + "/" + comp + "/Contents-" + arch, ""};
        const ReleaseEntry* e = find_contents(v.release, comp, arch);
        // A 0-byte index (bookworm-security's) is "none"; a compressed empty
        // one decompresses to nothing, which the caller treats the same way.
        if (e && e->size > 0) {
          BlobRequest req = index_request(v, *e);
          f.where = req.what;
          requests.push_back(req);
          fetched.push_back(out.size());
        }
        out.push_back(std::move(f));
      }
    }
  }
  std::vector<std::string> paths = fetch_blobs(requests, "Contents indices");
  for (size_t i = 0; i < paths.size(); ++i) out[fetched[i]].path = paths[i];
  return out;
}

std::shared_ptr<const IndexFile> Archive::cached_index(const std::string& sha256) {
  std::string path = cache_->index_path(sha256);
  if (!path_exists(path)) return nullptr;
  try {
    std::shared_ptr<const IndexFile> f = IndexFile::open(path);
    ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // last use, for `distill cache prune`
    return f;
  } catch (const Error& e) {
    log_warn(std::string(e.what()) + "; rebuilding it");
    ::unlink(path.c_str());
    return nullptr;
  }
}

std::shared_ptr<const IndexFile> Archive::store_index(const std::string& blob,
                                                      const std::string& sha256,
                                                      const std::string& where) {
  std::string text = decompress_index(read_file(blob), where);
  std::string path = cache_->index_path(sha256);
  // Concurrent builds write the same bytes; the rename makes either one whole.
  write_file_atomic(path, IndexFile::build(text, where));
  return IndexFile::open(path);
}

std::vector<std::string> Archive::fetch(const std::vector<const Package*>& packages) {
  std::vector<BlobRequest> reqs;
  for (const Package* p : packages) {
    std::string what =
        p->filename + " (" + p->name + " " + p->version + ") from " + p->origin.repo_uri;
    if (p->sha256.empty()) throw Error(what + ": the index gives no SHA256 for it");
    check_pool_path(p->filename, what);
    reqs.push_back({p->origin.repo_uri + "/" + p->filename, "", p->sha256, p->size, what});
  }
  return fetch_blobs(reqs, "Downloading");
}

std::string Archive::fetch_locked(const LockedPackage& p) {
  return fetch_locked(std::vector<LockedPackage>{p}).at(0);
}

std::vector<std::string> Archive::fetch_locked(const std::vector<LockedPackage>& packages) {
  std::vector<BlobRequest> reqs;
  for (const auto& p : packages) {
    std::string what = p.filename + " (" + p.name + " " + p.version + ") from " + p.repo_uri;
    check_pool_path(p.filename, what);
    reqs.push_back(
        {strip_trailing_slashes(p.repo_uri) + "/" + p.filename, "", p.sha256, p.size, what});
  }
  return fetch_blobs(reqs, "Downloading");
}

std::vector<std::string> Archive::fetch_blobs(const std::vector<BlobRequest>& requests,
                                              const std::string& label) {
  std::vector<std::string> out(requests.size());
  // Locks in sorted order, so concurrent builds cannot deadlock; a second
  // build waits for the first to finish a shared blob and then finds it.
  std::set<std::string> shas;
  for (const auto& r : requests) shas.insert(r.sha256);
  std::vector<Cache::Lock> locks;
  for (const auto& sha : shas) locks.push_back(cache_->lock("blob:" + sha));

  std::map<std::string, std::string> have;  // sha -> path
  std::vector<const BlobRequest*> missing;
  for (const auto& r : requests) {
    if (have.count(r.sha256)) continue;
    if (auto p = cache_->find_blob(r.sha256, r.size)) {
      have[r.sha256] = *p;
    } else if (std::none_of(missing.begin(), missing.end(),
                            [&](const BlobRequest* m) { return m->sha256 == r.sha256; })) {
      missing.push_back(&r);
    }
  }
  if (!missing.empty() && opts_.offline)
    throw Error(
        "offline: " + missing[0]->what + " is not in the cache " + cache_->dir() +
        (missing.size() > 1 ? " (and " + std::to_string(missing.size() - 1) + " more)" : "") +
        "; run once without --offline to fetch it");
  if (!missing.empty()) {
    TempFiles temps;
    std::vector<net::Download> downloads;
    uint64_t total = 0;
    for (const auto* r : missing) {
      // We hold this blob's lock, so any partial download of it is a killed build's.
      cache_->remove_stale_temps(r->sha256.substr(0, 16));
      temps.paths.push_back(cache_->temp_path(r->sha256.substr(0, 16)));
      downloads.push_back({r->url, temps.paths.back(), {}, r->size});
      total += r->size;
    }
    log_verbose(label + ": " + std::to_string(missing.size()) + " files, " + human_size(total));
    Progress progress(label, 0);
    std::vector<std::string> errors;
    client_->download_all(downloads, opts_.parallel, &progress, &errors);
    // by-hash can lag behind on some mirrors: retry those by name.
    std::vector<net::Download> again;
    std::vector<size_t> again_index;
    for (size_t i = 0; i < missing.size(); ++i) {
      if (!errors[i].empty() && !missing[i]->fallback_url.empty()) {
        log_verbose("by-hash failed (" + errors[i] + "); trying " + missing[i]->fallback_url);
        ::unlink(temps.paths[i].c_str());
        again.push_back({missing[i]->fallback_url, temps.paths[i], {}, missing[i]->size});
        again_index.push_back(i);
      }
    }
    if (!again.empty()) {
      std::vector<std::string> errors2;
      client_->download_all(again, opts_.parallel, &progress, &errors2);
      for (size_t k = 0; k < again.size(); ++k) errors[again_index[k]] = errors2[k];
    }
    progress.done();
    for (size_t i = 0; i < missing.size(); ++i) {
      if (!errors[i].empty()) throw Error("cannot download " + errors[i]);
    }
    for (size_t i = 0; i < missing.size(); ++i) {
      const BlobRequest& r = *missing[i];
      have[r.sha256] = cache_->adopt_blob(temps.paths[i], r.sha256, r.size, r.what);
    }
  }
  for (size_t i = 0; i < requests.size(); ++i) out[i] = have.at(requests[i].sha256);
  return out;
}

}  // namespace distill::debian
