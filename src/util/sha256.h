// SHA-256 through OpenSSL's EVP interface. Digests are written as
// "sha256:<hex>" everywhere an OCI digest is expected.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "util/handles.h"

namespace distill {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Lowercase hex of the digest; the object must not be updated afterwards.
  std::string hex();
  // "sha256:" + hex().
  std::string digest() { return "sha256:" + hex(); }

 private:
  EvpMdCtxPtr ctx_;
  bool finished_ = false;
  std::string hex_;
};

std::string sha256_hex(std::string_view data);
inline std::string sha256_digest(std::string_view data) {
  return "sha256:" + sha256_hex(data);
}
std::string sha256_file_hex(const std::string& path);

// Checks "sha256:<64 hex>"; returns the hex part or throws naming `context`.
std::string digest_hex(std::string_view digest, std::string_view context = "digest");

}  // namespace distill
