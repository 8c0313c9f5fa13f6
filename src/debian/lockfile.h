// distill.lock: the exact package set of a build, per architecture, and the
// signed Release files it was resolved from. JSON with a fixed key order so
// that lockfiles diff cleanly in version control.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace distill::debian {

struct LockedPackage {
  std::string name, version, architecture, suite, component, filename, repo_uri, sha256;
  uint64_t size = 0;
};

struct LockedRelease {
  std::string repo_uri, suite, inrelease_sha256, date;
};

// A runtime from outside Debian (a definition's upstream: item): the item
// as written (its url, or "npm:NAME@VERSION"), the tarball it resolved to,
// the tarball's integrity ("sha512-BASE64" or "sha256-BASE64") and the
// version it is (the npm version; written only when known, so locks
// without one read as before).
struct LockedUpstream {
  std::string item, url, integrity, version;
};

struct Lockfile {
  int version = 1;
  // The snapshot TIMESTAMP the lock was resolved at ("" = the live archive);
  // written only when set, so locks without one read and write as before.
  std::string snapshot;
  std::map<std::string /*arch*/, std::vector<LockedPackage>> packages;
  std::vector<LockedRelease> releases;
  // Written only when non-empty, so locks without upstream: read and write
  // as before.
  std::vector<LockedUpstream> upstreams;
};

// Throws Error naming the file and the field on a missing/ill-typed field or
// an unsupported lockfile version.
Lockfile read_lockfile(const std::string& path);
// Writes atomically; packages sorted by name within each arch.
void write_lockfile(const Lockfile& lock, const std::string& path);
// Text forms, for tests and `distill lock --update`.
std::string lockfile_to_json(const Lockfile& lock);
Lockfile lockfile_from_json(const std::string& text, const std::string& where);
// One line per change: "libssl3 3.0.1-1 -> 3.0.2-1", "+ foo 1.0", "- bar 2.0";
// prefixed with "arch: " when the lock has more than one architecture.
std::vector<std::string> diff_lockfiles(const Lockfile& old_lock, const Lockfile& new_lock);

}  // namespace distill::debian
