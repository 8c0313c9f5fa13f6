#include "util/sha256.h"
#include "util/handles.h"

#include <openssl/evp.h>

#include "util/error.h"
#include "util/io.h"

namespace distill {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
    throw Error(ErrorKind::kInternal, "OpenSSL: cannot initialise SHA-256");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t size) {
  if (finished_) throw Error("internal: SHA-256 updated after it was finished");
  if (size) EVP_DigestUpdate(ctx_.get(), data, size);
}

std::string Sha256::hex() {
  if (!finished_) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), md, &len);
    static const char* kHex = "0123456789abcdef";
    hex_.reserve(len * 2);
    for (unsigned i = 0; i < len; ++i) {
      hex_.push_back(kHex[md[i] >> 4]);
      hex_.push_back(kHex[md[i] & 15]);
    }
    finished_ = true;
  }
  return hex_;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.hex();
}

std::string sha256_file_hex(const std::string& path) {
  FileSource in(path);
  Sha256 h;
  char buf[1 << 16];
  for (size_t n; (n = in.read(buf, sizeof buf)) > 0;) h.update(buf, n);
  return h.hex();
}

std::string digest_hex(std::string_view digest, std::string_view context) {
  constexpr std::string_view kPrefix = "sha256:";
  bool ok = digest.size() == kPrefix.size() + 64 && digest.substr(0, kPrefix.size()) == kPrefix;
  for (size_t i = kPrefix.size(); ok && i < digest.size(); ++i) {
    char c = digest[i];
    ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
  if (!ok) {
    throw Error(std::string(context) + ": '" + std::string(digest.substr(0, 80)) +
                "' is not a sha256 digest");
  }
  return std::string(digest.substr(kPrefix.size()));
}

}  // namespace distill
