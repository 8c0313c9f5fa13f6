// distill's download cache, shared by concurrent builds:
//   DIR/blobs/sha256/<hex>      content-addressed files (.debs, Packages.*)
//   DIR/releases/<key>/InRelease (or Release + Release.gpg) and meta.json
//                               (URL, ETag, Last-Modified), key = sha256(URL)
//   DIR/indices/<sha256>.idx1   Packages indices in their compact form
//                               (debian/index_file.h), by the SHA-256 the
//                               signed Release gives the fetched file
//   DIR/verified/<key>          the text gpgv last returned for the signed
//                               Release at a URL, with the verification key it
//                               holds for (signature.h); key = sha256(URL)
//   DIR/locks/<key>.lock        flock(2) files
//   DIR/tmp/                    downloads in progress (same filesystem, so
//                               a verified file is renamed into place)
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/io.h"

namespace distill::debian {

class Cache {
 public:
  // Creates the layout under `dir` ("" = default_dir()).
  explicit Cache(std::string dir = "");
  // $XDG_CACHE_HOME/distill, else ~/.cache/distill.
  static std::string default_dir();
  const std::string& dir() const { return dir_; }

  std::string blob_path(const std::string& sha256) const;
  // Where the compact form of the Packages file with this SHA-256 is kept.
  std::string index_path(const std::string& sha256) const;
  // The blob's path when it is present and intact. The file is re-hashed (and
  // its size checked when `size` is non-zero); a corrupt entry is removed and
  // reported as absent so that it is fetched again.
  std::optional<std::string> find_blob(const std::string& sha256, uint64_t size = 0);
  // Verifies `temp` (size when non-zero, SHA-256) and renames it to the blob
  // path. On mismatch removes `temp` and throws Error naming `what`.
  std::string adopt_blob(const std::string& temp, const std::string& sha256, uint64_t size,
                         const std::string& what);
  // A fresh unique path in DIR/tmp for a download.
  std::string temp_path(const std::string& stem);
  // Removes DIR/tmp/<stem>.* left by a killed download. Call it only while
  // holding the lock every downloader of `stem` holds.
  void remove_stale_temps(const std::string& stem);

  struct ReleaseState {
    std::string inrelease;  // InRelease bytes, or Release bytes when detached
    std::string signature;  // Release.gpg bytes when detached, else ""
    std::string etag, last_modified;
  };
  std::optional<ReleaseState> load_release(const std::string& url);
  void store_release(const std::string& url, const ReleaseState& state);

  // The signed text the Release at `url` verified to, when its last
  // verification was under `key` (signature.h's verification_key); else
  // nullopt. One entry per URL, so the memo stays as small as releases/. An
  // entry whose recorded hash does not match its text is dropped and
  // reported absent, so the Release is verified again.
  std::optional<std::string> load_verified(const std::string& url, const std::string& key);
  // Records that the Release at `url` verified to `text` under `key`. Call
  // it only after gpgv accepted it.
  void store_verified(const std::string& url, const std::string& key, const std::string& text);

  // An exclusive flock held until destruction.
  class Lock {
   public:
    Lock(const std::string& path);
    ~Lock();
    Lock(Lock&& o) noexcept : fd_(std::move(o.fd_)) {}
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    Fd fd_;
  };
  Lock lock(const std::string& key);

 private:
  std::string dir_;
};

}  // namespace distill::debian
