#include "image/java_keystore.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "error_of.h"
#include "image/x500_name.h"
#include "util/error.h"

namespace distill {

namespace {

struct Ava {
  const char* field;
  int type;  // V_ASN1_*
  std::string value;
  bool joins_previous = false;  // same RDN as the previous AVA
};

struct NameFree {
  void operator()(X509_NAME* n) const { X509_NAME_free(n); }
};
struct CertFree {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::unique_ptr<X509_NAME, NameFree> make_name(const std::vector<Ava>& avas) {
  std::unique_ptr<X509_NAME, NameFree> name(X509_NAME_new());
  for (const auto& a : avas) {
    auto* bytes = reinterpret_cast<const unsigned char*>(a.value.data());
    if (!X509_NAME_add_entry_by_txt(name.get(), a.field, a.type, bytes,
                                    static_cast<int>(a.value.size()), -1,
                                    a.joins_previous ? -1 : 0)) {
      throw Error(std::string("cannot add ") + a.field);
    }
  }
  return name;
}

// A self-signed EC certificate for `subject`, valid from `not_before`.
std::string make_cert_pem(const std::vector<Ava>& subject, long not_before) {
  std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_EC_gen("P-256"));
  std::unique_ptr<X509, CertFree> cert(X509_new());
  auto name = make_name(subject);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), not_before);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), not_before);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), not_before + 86400L * 365);
  X509_set_subject_name(cert.get(), name.get());
  X509_set_issuer_name(cert.get(), name.get());
  X509_set_pubkey(cert.get(), key.get());
  if (!X509_sign(cert.get(), key.get(), EVP_sha256())) throw Error("cannot sign");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert.get());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string canonical(const std::vector<Ava>& avas) {
  return canonical_x500_name(make_name(avas).get());
}

constexpr long kJan2020 = 1577836800;

}  // namespace

TEST(X500Name, CanonicalFormAsJavaPrintsIt) {
  // Encoding order C, O, OU+CN, emailAddress prints in reverse; keywords
  // are lower-cased, the IA5 e-mail is an OID with #hex DER, the multi-valued
  // RDN is sorted, and the O value is trimmed, collapsed and escaped.
  std::string got = canonical({
      {"C", V_ASN1_PRINTABLESTRING, "DE"},
      {"O", V_ASN1_UTF8STRING, "  Example   Org, Inc "},
      {"OU", V_ASN1_UTF8STRING, "Units"},
      {"CN", V_ASN1_UTF8STRING, "Root <CA>", true},
      {"emailAddress", V_ASN1_IA5STRING, "ca@example.com"},
  });
  EXPECT_EQ(got,
            "1.2.840.113549.1.9.1=#160e6361406578616d706c652e636f6d,"
            "cn=root \\<ca\\>+ou=units,o=example org\\, inc,c=de");
}

TEST(X500Name, NonStringTypesAndOtherOidsAreHex) {
  // A BMPString CN is not a PrintableString/UTF8String: hex, like Java.
  std::string bmp("\0A\0b", 4);
  EXPECT_EQ(canonical({{"CN", V_ASN1_BMPSTRING, bmp}}), "cn=#1e0400410062");
  // serialNumber has no RFC 2253 keyword, so even a PrintableString is hex.
  EXPECT_EQ(canonical({{"serialNumber", V_ASN1_PRINTABLESTRING, "G63287510"}}),
            "2.5.4.5=#1309473633323837353130");
}

TEST(X500Name, LeadingHashIsEscaped) {
  EXPECT_EQ(canonical({{"CN", V_ASN1_UTF8STRING, "#1 Root"}}), "cn=\\#1 root");
}

TEST(X500Name, FoldingAndNfkdOfLatinNames) {
  // From Mozilla's roots: Turkish and Hungarian subjects.
  EXPECT_EQ(fold_canonical("O=E-Tuğra EBG A.Ş."), "o=e-tug\xCC\x86ra ebg a.s\xCC\xA7.");
  EXPECT_EQ(fold_canonical("CN=NetLock Arany (Class Gold) Főtanúsítvány"),
            "cn=netlock arany (class gold) fo\xCC\x8B"
            "tanu\xCC\x81si\xCC\x81tva\xCC\x81ny");
  EXPECT_EQ(fold_canonical("Straße"), "strasse");                 // upper-casing ß gives SS
  EXPECT_EQ(fold_canonical("ﬁ \xE4\xB8\xAD"), "ﬁ \xE4\xB8\xAD");  // outside the table: kept
}

TEST(JavaKeystore, EntriesFromPemInOrderWithDates) {
  std::string pem = make_cert_pem({{"CN", V_ASN1_UTF8STRING, "One"}}, kJan2020) +
                    make_cert_pem({{"CN", V_ASN1_UTF8STRING, "Two"}}, kJan2020 + 60);
  auto entries = keystore_entries_from_pem(pem, "bundle");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].alias, "cn=one");
  EXPECT_EQ(entries[1].alias, "cn=two");
  EXPECT_EQ(entries[0].date_ms, kJan2020 * 1000);
  EXPECT_EQ(entries[1].date_ms, (kJan2020 + 60) * 1000);
  EXPECT_EQ(static_cast<unsigned char>(entries[0].der[0]), 0x30);  // DER SEQUENCE
}

TEST(JavaKeystore, BadPemNamesTheBundle) {
  std::string good = make_cert_pem({{"CN", V_ASN1_UTF8STRING, "One"}}, kJan2020);
  std::string bad = "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
  EXPECT_EQ(error_of([&] { keystore_entries_from_pem(good + bad, "ca.crt"); }),
            "ca.crt: certificate 2 of 2 in the CA bundle is not valid PEM/X.509");
  EXPECT_EQ(error_of([&] { keystore_entries_from_pem("", "ca.crt"); }),
            "ca.crt: the CA bundle holds no certificates");
}

TEST(JavaKeystore, WritesWhatItReadsBack) {
  std::string pem;
  for (int i = 0; i < 30; ++i) {
    pem += make_cert_pem({{"O", V_ASN1_UTF8STRING, "Org " + std::to_string(i)},
                          {"CN", V_ASN1_UTF8STRING, "Ünïcödé Root " + std::to_string(i)}},
                         kJan2020 + i);
  }
  auto entries = keystore_entries_from_pem(pem, "bundle");
  std::string jks = write_java_keystore(entries, "changeit");
  // Header: magic, version 2, entry count.
  EXPECT_EQ(jks.substr(0, 12), std::string("\xfe\xed\xfe\xed\0\0\0\x02\0\0\0\x1e", 12));
  auto back = read_java_keystore(jks, "changeit", "cacerts");
  ASSERT_EQ(back.size(), entries.size());
  for (const auto& e : entries) {
    auto it =
        std::find_if(back.begin(), back.end(), [&](const auto& b) { return b.alias == e.alias; });
    ASSERT_NE(it, back.end()) << e.alias;
    EXPECT_EQ(it->der, e.der);
    EXPECT_EQ(it->date_ms, e.date_ms);
  }
  EXPECT_EQ(write_java_keystore(entries, "changeit"), jks) << "not deterministic";
}

TEST(JavaKeystore, DigestCatchesWrongPasswordAndTampering) {
  auto entries = keystore_entries_from_pem(
      make_cert_pem({{"CN", V_ASN1_UTF8STRING, "One"}}, kJan2020), "bundle");
  std::string jks = write_java_keystore(entries, "changeit");
  EXPECT_EQ(error_of([&] { read_java_keystore(jks, "secret", "cacerts"); }),
            "cacerts: keystore digest does not match (wrong password or tampered file)");
  std::string tampered = jks;
  tampered[40] ^= 1;
  EXPECT_NE(error_of([&] { read_java_keystore(tampered, "changeit", "cacerts"); }), "");
  EXPECT_NE(error_of([&] {
              read_java_keystore(jks.substr(0, 30), "changeit", "cacerts");
            }).find("truncated"),
            std::string::npos);
}

TEST(JavaKeystore, HashMapOrderAndDuplicateAliases) {
  // String.hashCode of "cn=q" and "cn=a" spread (h ^ h>>>16) to bucket 1 of
  // 16, "cn=b" to bucket 14: a bucket keeps insertion order, buckets go in
  // index order.
  auto cert = [](const char* cn, long t) {
    return make_cert_pem({{"CN", V_ASN1_UTF8STRING, cn}}, t);
  };
  std::string pem = cert("B", kJan2020) + cert("Q", kJan2020) + cert("A", kJan2020) +
                    cert("Q", kJan2020 + 5);  // same alias again: last value, first slot
  auto entries = keystore_entries_from_pem(pem, "bundle");
  ASSERT_EQ(entries.size(), 4u);
  auto back = read_java_keystore(write_java_keystore(entries, "changeit"), "changeit", "x");
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0].alias, "cn=q");
  EXPECT_EQ(back[1].alias, "cn=a");
  EXPECT_EQ(back[2].alias, "cn=b");
  EXPECT_EQ(back[0].der, entries[3].der);
  EXPECT_EQ(back[0].date_ms, (kJan2020 + 5) * 1000);
}

}  // namespace distill
