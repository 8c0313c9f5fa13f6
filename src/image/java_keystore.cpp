#include "image/java_keystore.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <map>
#include <memory>

#include "image/x500_name.h"
#include "util/error.h"
#include "util/handles.h"

namespace distill {

namespace {

constexpr uint32_t kMagic = 0xfeedfeed;
constexpr uint32_t kVersion = 2;
constexpr uint32_t kTrustedCertTag = 2;
constexpr const char* kSalt = "Mighty Aphrodite";  // fixed by the JKS format

// UTF-8 to UTF-16 code units, as Java strings hold them.
std::u16string utf16(const std::string& s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int extra = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : 0;
    uint32_t cp = extra == 0 ? b : b & (0x3f >> extra);
    for (int k = 1; k <= extra && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    }
    i += extra + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xd800 + (cp >> 10));
      out += static_cast<char16_t>(0xdc00 + (cp & 0x3ff));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

std::string utf8(const std::u16string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    uint32_t cp = s[i];
    if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < s.size()) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (s[++i] - 0xdc00);
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  return out;
}

void put_u16(std::string& out, uint32_t v) {
  out += static_cast<char>((v >> 8) & 0xff);
  out += static_cast<char>(v & 0xff);
}
void put_u32(std::string& out, uint32_t v) {
  put_u16(out, v >> 16);
  put_u16(out, v & 0xffff);
}
void put_u64(std::string& out, uint64_t v) {
  put_u32(out, static_cast<uint32_t>(v >> 32));
  put_u32(out, static_cast<uint32_t>(v));
}

// DataOutputStream.writeUTF: a length, then "modified UTF-8" of the UTF-16
// units (U+0000 takes two bytes, surrogates are encoded one by one).
void put_java_utf(std::string& out, const std::string& text) {
  std::string body;
  for (char16_t c : utf16(text)) {
    if (c >= 1 && c < 0x80) {
      body += static_cast<char>(c);
    } else if (c < 0x800) {
      body += static_cast<char>(0xc0 | (c >> 6));
      body += static_cast<char>(0x80 | (c & 0x3f));
    } else {
      body += static_cast<char>(0xe0 | (c >> 12));
      body += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      body += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  if (body.size() > 0xffff) throw Error("keystore alias '" + text.substr(0, 60) + "…' is too long");
  put_u16(out, static_cast<uint32_t>(body.size()));
  out += body;
}

// SHA-1 over the password as UTF-16BE, the salt, then the keystore bytes.
std::string keyed_digest(const std::string& password, const std::string& data) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  std::string pw;
  for (char16_t c : utf16(password)) put_u16(pw, c);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ctx || !EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr) ||
      !EVP_DigestUpdate(ctx.get(), pw.data(), pw.size()) ||
      !EVP_DigestUpdate(ctx.get(), kSalt, std::char_traits<char>::length(kSalt)) ||
      !EVP_DigestUpdate(ctx.get(), data.data(), data.size()) ||
      !EVP_DigestFinal_ex(ctx.get(), md, &len)) {
    throw Error("SHA-1 is not available from libcrypto");
  }
  return std::string(reinterpret_cast<const char*>(md), len);
}

int32_t java_hash(const std::string& alias) {
  uint32_t h = 0;
  for (char16_t c : utf16(alias)) h = 31 * h + c;
  return static_cast<int32_t>(h);
}

class Reader {
 public:
  Reader(const std::string& data, const std::string& where) : data_(data), where_(where) {}
  uint64_t u(int bytes) {
    need(bytes);
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(data_[pos_++]);
    return v;
  }
  std::string bytes(size_t n) {
    need(n);
    std::string s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string java_utf() {
    std::string body = bytes(u(2));
    std::u16string units;
    for (size_t i = 0; i < body.size();) {
      auto b = static_cast<unsigned char>(body[i]);
      int extra = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : -1;
      if (extra < 0 || i + extra >= body.size()) fail("bad modified UTF-8");
      uint32_t c = extra == 0 ? b : b & (0x3f >> extra);
      for (int k = 1; k <= extra; ++k) c = (c << 6) | (body[i + k] & 0x3f);
      units += static_cast<char16_t>(c);
      i += extra + 1;
    }
    return utf8(units);
  }
  size_t pos() const { return pos_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(where_ + ": not a valid JKS trust store (" + what + " at byte " +
                std::to_string(pos_) + ")");
  }

 private:
  void need(size_t n) const {
    if (data_.size() - pos_ < n) fail("truncated");
  }
  const std::string& data_;
  std::string where_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<KeystoreEntry> keystore_entries_from_pem(const std::string& pem,
                                                     const std::string& where) {
  std::vector<KeystoreEntry> out;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  size_t begins = 0;
  for (size_t p = 0; (p = pem.find("-----BEGIN CERTIFICATE-----", p)) != std::string::npos; ++p) {
    ++begins;
  }
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    KeystoreEntry e;
    e.alias = canonical_x500_name(X509_get_subject_name(cert.get()));
    struct tm tm {};
    if (!ASN1_TIME_to_tm(X509_get0_notBefore(cert.get()), &tm)) {
      throw Error(where + ": certificate '" + e.alias + "' has an unreadable notBefore date");
    }
    e.date_ms = static_cast<int64_t>(timegm(&tm)) * 1000;
    int len = i2d_X509(cert.get(), nullptr);
    if (len <= 0) throw Error(where + ": certificate '" + e.alias + "' cannot be DER-encoded");
    e.der.resize(static_cast<size_t>(len));
    auto* p = reinterpret_cast<unsigned char*>(e.der.data());
    i2d_X509(cert.get(), &p);
    out.push_back(std::move(e));
  }
  // The reader stops with "no start line" on the queue; that is the end.
  ERR_clear_error();
  if (out.size() != begins) {
    throw Error(where + ": certificate " + std::to_string(out.size() + 1) + " of " +
                std::to_string(begins) + " in the CA bundle is not valid PEM/X.509");
  }
  if (out.empty()) throw Error(where + ": the CA bundle holds no certificates");
  return out;
}

std::string write_java_keystore(const std::vector<KeystoreEntry>& entries,
                                const std::string& password) {
  // The reference fills a java.util.HashMap<alias, cert>: a repeated alias
  // keeps its first slot and takes the last value, and iteration runs by
  // bucket (hash ^ hash>>>16, masked to the table size), then insertion.
  std::vector<KeystoreEntry> unique;
  std::map<std::string, size_t> slot;
  for (const auto& e : entries) {
    auto [it, fresh] = slot.emplace(e.alias, unique.size());
    if (fresh) {
      unique.push_back(e);
    } else {
      unique[it->second] = e;
    }
  }
  size_t table = 16;  // default capacity, load factor 0.75
  while (unique.size() > table * 3 / 4) table *= 2;
  std::vector<std::vector<const KeystoreEntry*>> buckets(table);
  for (const auto& e : unique) {
    auto h = static_cast<uint32_t>(java_hash(e.alias));
    buckets[(h ^ (h >> 16)) & (table - 1)].push_back(&e);
  }

  std::string out;
  put_u32(out, kMagic);
  put_u32(out, kVersion);
  put_u32(out, static_cast<uint32_t>(unique.size()));
  for (const auto& bucket : buckets) {
    for (const KeystoreEntry* e : bucket) {
      put_u32(out, kTrustedCertTag);
      put_java_utf(out, e->alias);
      put_u64(out, static_cast<uint64_t>(e->date_ms));
      put_java_utf(out, "X.509");
      put_u32(out, static_cast<uint32_t>(e->der.size()));
      out += e->der;
    }
  }
  out += keyed_digest(password, out);
  return out;
}

std::vector<KeystoreEntry> read_java_keystore(const std::string& jks, const std::string& password,
                                              const std::string& where) {
  Reader r(jks, where);
  if (r.u(4) != kMagic) r.fail("bad magic");
  if (uint64_t v = r.u(4); v != kVersion) r.fail("version " + std::to_string(v));
  uint64_t count = r.u(4);
  std::vector<KeystoreEntry> out;
  for (uint64_t i = 0; i < count; ++i) {
    if (r.u(4) != kTrustedCertTag) r.fail("an entry that is not a trusted certificate");
    KeystoreEntry e;
    e.alias = r.java_utf();
    e.date_ms = static_cast<int64_t>(r.u(8));
    if (r.java_utf() != "X.509") r.fail("a certificate that is not X.509");
    e.der = r.bytes(r.u(4));
    out.push_back(std::move(e));
  }
  size_t body = r.pos();
  if (r.bytes(20) != keyed_digest(password, jks.substr(0, body))) {
    throw Error(where + ": keystore digest does not match (wrong password or tampered file)");
  }
  if (r.pos() != jks.size()) r.fail("trailing bytes");
  return out;
}

}  // namespace distill
