#include "debian/cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <nlohmann/json.hpp>
#include <vector>

#include "util/error.h"
#include "util/fs.h"
#include "util/handles.h"
#include "util/log.h"
#include "util/sha256.h"

namespace distill::debian {

namespace {

uint64_t size_of(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

std::string Cache::default_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg == '/') return join_path(xdg, "distill");
  const char* home = std::getenv("HOME");
  if (!home || !*home)
    throw Error("cannot find a cache directory: set XDG_CACHE_HOME or HOME, or pass --cache-dir");
  return join_path(join_path(home, ".cache"), "distill");
}

Cache::Cache(std::string dir) : dir_(dir.empty() ? default_dir() : absolute_path(dir)) {
  for (const char* sub : {"blobs/sha256", "indices", "releases", "verified", "locks", "tmp"})
    make_dirs(join_path(dir_, sub));
}

std::string Cache::blob_path(const std::string& sha256) const {
  if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw Error("invalid SHA-256 '" + sha256 + "'");
  return join_path(dir_, "blobs/sha256/" + sha256);
}

std::string Cache::index_path(const std::string& sha256) const {
  blob_path(sha256);  // checks the name
  return join_path(dir_, "indices/" + sha256 + ".idx1");
}

std::optional<std::string> Cache::find_blob(const std::string& sha256, uint64_t size) {
  std::string p = blob_path(sha256);
  if (!path_exists(p)) return std::nullopt;
  if ((size != 0 && size_of(p) != size) || sha256_file_hex(p) != sha256) {
    log_warn("cache entry " + p + " does not match its SHA-256 (corrupt); fetching it again");
    ::unlink(p.c_str());
    return std::nullopt;
  }
  ::utimensat(AT_FDCWD, p.c_str(), nullptr, 0);  // last use, for `distill cache prune`
  return p;
}

std::string Cache::adopt_blob(const std::string& temp, const std::string& sha256, uint64_t size,
                              const std::string& what) {
  uint64_t got_size = size_of(temp);
  std::string got = sha256_file_hex(temp);
  if ((size != 0 && got_size != size) || got != sha256) {
    ::unlink(temp.c_str());
    throw Error(ErrorKind::kIntegrity, what + ": hash mismatch: expected SHA-256 " + sha256 + " (" +
                                           std::to_string(size) + " bytes), got " + got + " (" +
                                           std::to_string(got_size) + " bytes)");
  }
  std::string dest = blob_path(sha256);
  // Renaming over an identical blob from a concurrent build is harmless.
  if (::rename(temp.c_str(), dest.c_str()) != 0) throw_errno("cannot move download to", dest);
  sync_dir(parent_dir(dest));
  return dest;
}

std::string Cache::temp_path(const std::string& stem) {
  static std::atomic<uint64_t> counter{0};
  auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return join_path(dir_, "tmp/" + stem + "." + std::to_string(::getpid()) + "." +
                             std::to_string(counter++) + "." + std::to_string(now % 1000000007));
}

void Cache::remove_stale_temps(const std::string& stem) {
  std::string tmp = join_path(dir_, "tmp");
  std::vector<std::string> stale;
  {
    DirPtr d = open_dir(tmp);
    if (!d) return;
    while (dirent* ent = ::readdir(d.get())) {
      std::string n = ent->d_name;
      if (n.starts_with(stem + ".")) stale.push_back(join_path(tmp, n));
    }
  }
  for (const auto& p : stale) ::unlink(p.c_str());
}

std::optional<Cache::ReleaseState> Cache::load_release(const std::string& url) {
  std::string d = join_path(dir_, "releases/" + sha256_hex(url));
  std::string meta = join_path(d, "meta.json");
  if (!path_exists(meta)) return std::nullopt;
  try {
    auto j = nlohmann::json::parse(read_file(meta));
    if (j.value("url", "") != url) return std::nullopt;
    ReleaseState s;
    s.etag = j.value("etag", "");
    s.last_modified = j.value("last_modified", "");
    std::string file = join_path(d, j.value("file", "InRelease"));
    s.inrelease = read_file(file);
    if (j.value("detached", false)) s.signature = read_file(join_path(d, "Release.gpg"));
    if (sha256_hex(s.inrelease) != j.value("sha256", "")) {
      log_warn("cached " + file + " is corrupt; fetching it again");
      return std::nullopt;
    }
    return s;
  } catch (const std::exception& e) {
    log_warn("ignoring unreadable cache entry " + meta + ": " + e.what());
    return std::nullopt;
  }
}

void Cache::store_release(const std::string& url, const ReleaseState& s) {
  std::string d = join_path(dir_, "releases/" + sha256_hex(url));
  make_dirs(d);
  bool detached = !s.signature.empty();
  std::string file = detached ? "Release" : "InRelease";
  write_file_atomic(join_path(d, file), s.inrelease);
  if (detached) write_file_atomic(join_path(d, "Release.gpg"), s.signature);
  nlohmann::json j = {{"url", url},           {"file", file},
                      {"detached", detached}, {"sha256", sha256_hex(s.inrelease)},
                      {"etag", s.etag},       {"last_modified", s.last_modified}};
  // meta.json is written last: it is what makes the entry visible.
  write_file_atomic(join_path(d, "meta.json"), j.dump(2) + "\n");
}

std::optional<std::string> Cache::load_verified(const std::string& url, const std::string& key) {
  std::string path = join_path(dir_, "verified/" + sha256_hex(url));
  if (!path_exists(path)) return std::nullopt;
  std::string bytes = read_file(path);
  // "<key>\n<sha256 of text>\n<text>": a torn or edited entry is not
  // trusted as a verification.
  if (bytes.size() >= 130 && bytes[64] == '\n' && bytes[129] == '\n') {
    if (bytes.compare(0, 64, key) != 0) return std::nullopt;  // another Release or day
    if (sha256_hex(std::string_view(bytes).substr(130)) == bytes.substr(65, 64))
      return bytes.substr(130);
  }
  log_warn("cached verification " + path + " is corrupt; verifying the Release again");
  ::unlink(path.c_str());
  return std::nullopt;
}

void Cache::store_verified(const std::string& url, const std::string& key,
                           const std::string& text) {
  blob_path(key);  // checks it is a SHA-256 hex
  write_file_atomic(join_path(dir_, "verified/" + sha256_hex(url)),
                    key + "\n" + sha256_hex(text) + "\n" + text);
}

Cache::Lock::Lock(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno("cannot open lock file", path);
  fd_ = Fd(fd);
  while (::flock(fd_.get(), LOCK_EX) != 0) {
    if (errno != EINTR) throw_errno("cannot lock", path);
  }
}

Cache::Lock::~Lock() = default;  // closing the fd releases the lock

Cache::Lock Cache::lock(const std::string& key) {
  return Lock(join_path(dir_, "locks/" + sha256_hex(key).substr(0, 32) + ".lock"));
}

}  // namespace distill::debian
