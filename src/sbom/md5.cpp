#include "sbom/md5.h"

#include <openssl/evp.h>

#include "util/error.h"

namespace distill::sbom {

Md5::Md5() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_md5(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw Error("OpenSSL cannot compute MD5 here (is it disabled by the crypto policy?)");
  }
}

Md5::~Md5() {
  EVP_MD_CTX_free(ctx_);
}

void Md5::update(const void* data, size_t size) {
  EVP_DigestUpdate(ctx_, data, size);
}

std::string Md5::hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_, md, &n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

}  // namespace distill::sbom
