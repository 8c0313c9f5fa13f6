// A JKS "cacerts" trust store built from a PEM bundle, byte for byte what
// the reference images' keystore tool writes: trusted-certificate entries
// aliased by canonical subject, each dated with the certificate's
// notBefore, sealed with the keyed SHA-1 that keytool checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace distill {

struct KeystoreEntry {
  std::string alias;    // canonical X.500 subject (UTF-8)
  int64_t date_ms = 0;  // entry date: the certificate's notBefore
  std::string der;      // the X.509 certificate
};

// Every certificate of a PEM bundle, in bundle order. Throws naming `where`
// on a malformed certificate or a bundle without any.
std::vector<KeystoreEntry> keystore_entries_from_pem(const std::string& pem,
                                                     const std::string& where);

// The JKS file. Entries with the same alias collapse to one (the last
// certificate, at the first one's place), and the entries are written in
// the order Java's HashMap iterates them, as the reference's tool does.
std::string write_java_keystore(const std::vector<KeystoreEntry>& entries,
                                const std::string& password);

// Parses a JKS holding only trusted certificates, checking magic, version
// and the keyed digest. Throws naming `where` on anything else.
std::vector<KeystoreEntry> read_java_keystore(const std::string& jks, const std::string& password,
                                              const std::string& where);

}  // namespace distill
