// CA bundle: how many certificates and when the first one expires. Parsed
// with libcrypto's PEM reader, one certificate at a time.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "inspect/facts.h"
#include "util/handles.h"

namespace distill::inspect {

namespace {

std::string iso_time(const ASN1_TIME* t) {
  struct tm tm {};
  if (!ASN1_TIME_to_tm(t, &tm)) return "";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string subject_cn(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  char buf[256] = {0};
  if (X509_NAME_get_text_by_NID(name, NID_commonName, buf, sizeof buf) > 0) return buf;
  std::unique_ptr<char, void (*)(void*)> line(X509_NAME_oneline(name, nullptr, 0),
                                              [](void* p) { OPENSSL_free(p); });
  return line ? line.get() : "";
}

}  // namespace

nlohmann::json ca_bundle_facts(const MergedFs& fs) {
  for (const char* path : {"etc/ssl/certs/ca-certificates.crt", "etc/pki/tls/certs/ca-bundle.crt",
                           "etc/ssl/cert.pem"}) {
    const std::string* pem = fs.content(path);
    if (!pem) continue;
    BioPtr bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
    int count = 0;
    const ASN1_TIME* earliest = nullptr;
    X509Ptr earliest_cert;
    std::string earliest_subject;
    std::string earliest_iso;
    while (true) {
      X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
      if (!cert) break;
      ++count;
      const ASN1_TIME* na = X509_get0_notAfter(cert.get());
      if (!earliest || ASN1_TIME_compare(na, earliest) < 0) {
        earliest_subject = subject_cn(cert.get());
        earliest_iso = iso_time(na);
        earliest_cert = std::move(cert);
        earliest = X509_get0_notAfter(earliest_cert.get());
      }
    }
    // PEM_read_bio_X509 leaves "no start line" on the error queue at the end.
    ERR_clear_error();
    nlohmann::json j;
    j["path"] = std::string("/") + path;
    j["certificates"] = count;
    j["earliest_expiry"] =
        earliest_iso.empty() ? nlohmann::json(nullptr) : nlohmann::json(earliest_iso);
    j["earliest_subject"] =
        earliest_subject.empty() ? nlohmann::json(nullptr) : nlohmann::json(earliest_subject);
    j["size"] = pem->size();
    return j;
  }
  return nullptr;
}

}  // namespace distill::inspect
