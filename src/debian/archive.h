// The Debian archive client the image builder uses: repositories (given, or
// the host's apt sources) -> signature-verified Release files -> hash-checked
// Packages indices -> a PackageIndex per architecture, and verified .deb
// downloads into the shared cache.
#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "debian/cache.h"
#include "debian/lockfile.h"
#include "debian/package.h"
#include "debian/package_index.h"
#include "debian/release.h"
#include "net/http.h"

namespace distill::debian {

struct Repository {
  std::string uri;  // http(s):// or file://, the directory holding dists/ and pool/
  std::vector<std::string> suites;
  std::vector<std::string> components;  // empty: every component the Release lists
  // Keyring path(s), comma-separated; "" = the Debian archive keyring.
  // Binary (.gpg) or ASCII-armored (.asc) keyrings both work.
  std::string keyring;
  std::string keyring_data;                // an inline ASCII-armored key (deb822 Signed-By)
  std::vector<std::string> architectures;  // empty: every architecture
  // Where `uri` comes from, for errors: "set by --mirror", "from FILE:LINE".
  std::string set_by;
};

// The Debian release a build is for (a definition's `release:`), as the
// archive client needs it: the host's Debian lines are renamed to its suites.
struct ReleaseSuites {
  std::string name;                     // "debian13", for messages
  std::string codename;                 // "trixie"; "" = use the sources as configured
  std::vector<std::string> suites;      // trixie, trixie-updates, trixie-security
  std::vector<std::string> components;  // main
};

struct ArchiveOptions {
  std::vector<Repository> repositories;  // empty: read the host's apt sources
  // Source overrides (see select_sources). `*_set_by` names the flag or key
  // that gave the value, so errors about a missing suite say what to change.
  std::string mirror;  // replaces the main archive's URI (suites not *-security)
  std::string mirror_set_by = "--mirror";
  std::string security_mirror;  // replaces the security archive's URI
  std::string security_mirror_set_by = "--security-mirror";
  std::string snapshot;      // TIMESTAMP (20260818T205150Z): both archives as they were then
  std::string snapshot_uri;  // the snapshot service's base URI (--snapshot-uri)
  std::string snapshot_set_by = "--snapshot";
  ReleaseSuites release;            // applied to the host's sources only (retarget_sources)
  std::vector<std::string> suites;  // read only these suites (limit_suites); empty = all
  std::string suites_set_by = "--suites";
  std::string cache_dir;                   // "" = $XDG_CACHE_HOME/distill or ~/.cache/distill
  bool offline = false;                    // no network at all; fail naming what is missing
  bool insecure_skip_signatures = false;   // loudly warned; hashes are still checked
  std::vector<std::string> architectures;  // dpkg arch names
  std::string apt_root = "/";              // where etc/apt is read from (sources, apt.conf proxy)
  net::ClientOptions http;                 // timeouts, retries; proxy from apt.conf unless set here
  int parallel = 4;                        // concurrent downloads
  int64_t now = 0;                         // seconds since the epoch for Valid-Until; 0 = the clock
  // Go ahead with a cached InRelease while its conditional GET is in flight,
  // instead of waiting a round trip to the mirror before resolving. The
  // caller must call confirm_releases() before it uses what it built, and
  // build again without this when that says a Release changed.
  bool speculate_releases = false;
};

class Archive {
 public:
  explicit Archive(ArchiveOptions opts);
  ~Archive();
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  // Packages of every repository/suite/component for `arch` (binary-ARCH,
  // which includes Architecture: all). Verified and cached per arch.
  const PackageIndex& index(const std::string& arch);
  // One Contents-<arch> index (path -> packages) of a repository's suite
  // and component. `path` is the verified file in the cache, still
  // compressed; "" when the suite publishes none or an empty one (a
  // security suite may), so the caller falls back to the .debs' file lists.
  struct ContentsFile {
    PackageOrigin origin;
    std::string where;  // the index URL, for messages
    std::string path;
  };
  // Every suite's and component's Contents-<arch>, fetched and checked
  // against the signed Release exactly as Packages are, in source order.
  std::vector<ContentsFile> contents(const std::string& arch);
  // The Release files read so far (repo, suite, InRelease sha256, Date).
  std::vector<LockedRelease> releases() const;
  // With speculate_releases: waits for the revalidations still in flight and
  // returns true iff every cached InRelease this archive went ahead with is
  // still the mirror's (a 304, or a 200 with the same bytes). False when one
  // changed: what was built from it must be built again without
  // speculation. When the mirror could not be asked (after the client's
  // retries), throws that request's error, as release() would have without
  // speculation. Without speculation (or when nothing was speculated), true
  // at once.
  bool confirm_releases();
  // Downloads (parallel, verified against size+sha256) and returns cache
  // paths in input order.
  std::vector<std::string> fetch(const std::vector<const Package*>& packages);
  std::string fetch_locked(const LockedPackage& package);
  std::vector<std::string> fetch_locked(const std::vector<LockedPackage>& packages);

  const std::vector<Repository>& repositories() const { return repos_; }
  Cache& cache() { return *cache_; }
  net::Client& client() { return *client_; }

 private:
  struct VerifiedRelease {
    Release release;
    std::string sha256;  // of the InRelease (or Release) bytes
    std::string base;    // URI/dists/SUITE
  };
  struct BlobRequest {
    std::string url;
    std::string fallback_url;  // tried when `url` fails (by-hash -> plain path)
    std::string sha256;
    uint64_t size = 0;
    std::string what;  // names the file and its repository in errors
  };
  // The request for an index the signed Release of `v` lists (Packages,
  // Contents): by hash where the archive serves by-hash, the plain path as
  // the fallback.
  static BlobRequest index_request(const VerifiedRelease& v, const ReleaseEntry& e);
  const VerifiedRelease& release(const Repository& repo, const std::string& suite);
  // Sends the conditional GETs of every InRelease release() will need for
  // `arch` ("" = every repository) at once, one thread each, for release()
  // to take: a warm build waits one round trip to the mirror, not one per
  // suite, and with speculate_releases none before resolving. Nothing is
  // verified or cached here.
  void prefetch_releases(const std::string& arch);
  // One InRelease GET sent by prefetch_releases.
  struct PendingRelease {
    net::Request request;  // as sent: its answer serves release() only for the same validators
    std::string based_on;  // the cached clearsigned InRelease `request` revalidates ("" = none)
    std::string used;      // what release() went ahead with, speculating ("" = it waited)
    std::optional<net::Response> response;  // written by `thread`, read after it is joined
    std::exception_ptr error;               // likewise, when the mirror gave no answer
    std::jthread thread;                    // last: joined before the rest goes
  };
  std::vector<std::string> fetch_blobs(const std::vector<BlobRequest>& requests,
                                       const std::string& label);
  // The compact form of the index with this SHA-256, or null when the cache
  // lacks it (a corrupt one is removed, so the caller rebuilds it).
  std::shared_ptr<const IndexFile> cached_index(const std::string& sha256);
  // Decodes the fetched index `blob` and stores its compact form.
  std::shared_ptr<const IndexFile> store_index(const std::string& blob, const std::string& sha256,
                                               const std::string& where);

  ArchiveOptions opts_;
  std::vector<Repository> repos_;
  std::unique_ptr<Cache> cache_;
  std::unique_ptr<net::Client> client_;
  std::map<std::string, VerifiedRelease> releases_;  // by base URL
  std::vector<std::string> release_order_;
  std::map<std::string, std::unique_ptr<PackageIndex>> indices_;
  // By InRelease URL. Last: their threads are joined before the members
  // they use (client_) go away.
  std::map<std::string, std::unique_ptr<PendingRelease>> pending_;
};

// Packages indices this process decompressed and parsed (those not yet in
// the cache's compact form, debian/index_file.h), for `build --json`.
uint64_t indices_decoded();
// Release signatures this process checked with gpgv (not taken from the
// cache's memo of earlier verifications), for `build --json`.
uint64_t signatures_verified();

// Repositories apt on `apt_root` would use, as configured (set_by names the file:line).
std::vector<Repository> host_repositories(const std::string& apt_root);

// True for the security archive's suites: "bookworm-security", "buster/updates".
bool is_security_suite(const std::string& suite);

// Applies opts' overrides to `repos`: a repository's main suites move to
// `mirror` (or the snapshot's <base>/archive/debian/<ts>), its security suites
// to `security_mirror` (or <base>/archive/debian-security/<ts>); suites
// without an override keep their URI. Repositories that end up identical are
// merged. Throws Error on a malformed snapshot, a snapshot without a service
// URI, or a snapshot combined with a mirror.
std::vector<Repository> select_sources(std::vector<Repository> repos, const ArchiveOptions& opts);

// The host's sources for `release`: each line whose suite is a Debian suite
// (bookworm, bookworm-updates, stable-security, buster/updates...) gets the
// release's codename in its place (trixie, trixie-updates, trixie-security;
// X/updates becomes CODENAME-security), keeping URI, keyring and
// architectures. Suites the release does not list, components it does not
// list and lines for other archives are dropped; set_by says the line was
// retargeted. An empty codename returns `host` unchanged. Throws Error when
// no line is left.
std::vector<Repository> retarget_sources(std::vector<Repository> host,
                                         const ReleaseSuites& release);

// Keeps only `suites` of `repos` (none: all), dropping repositories left
// without one. Throws Error naming `set_by` and the suites the repositories
// have when a wanted suite is in none of them.
std::vector<Repository> limit_suites(std::vector<Repository> repos,
                                     const std::vector<std::string>& suites,
                                     const std::string& set_by);

// Seconds since the epoch of a snapshot TIMESTAMP (YYYYMMDDTHHMMSSZ); throws
// Error naming `set_by` when it is malformed.
int64_t parse_snapshot_timestamp(const std::string& ts, const std::string& set_by);

}  // namespace distill::debian
