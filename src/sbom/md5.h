// MD5 through OpenSSL's EVP interface, for comparing files with dpkg's
// md5sums records (the only digest Debian keeps per installed file; it is
// an integrity check against accidents and edits, not against an attacker
// who can also rewrite the record).
#pragma once

#include <cstddef>
#include <string>

struct evp_md_ctx_st;

namespace distill::sbom {

class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;

  void update(const void* data, size_t size);
  // Lowercase hex; the object must not be updated afterwards.
  std::string hex();

 private:
  evp_md_ctx_st* ctx_;
};

}  // namespace distill::sbom
