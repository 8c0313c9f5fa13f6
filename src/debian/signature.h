// OpenPGP verification of Release files with gpgv. Only the text gpgv
// reports as signed is returned, so nothing outside the signature (extra
// cleartext blocks, trailing data) can reach the parser.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/fs.h"

namespace distill::debian {

// The keyrings one repository trusts, as files gpgv can read. ASCII-armored
// keys (.asc files or an inline Signed-By block) are dearmored into a
// private temp directory that lives as long as this object.
class Keyring {
 public:
  // `paths` empty and `inline_key` empty: the Debian archive keyring.
  Keyring(const std::vector<std::string>& paths, const std::string& inline_key);
  const std::vector<std::string>& files() const { return files_; }
  std::string describe() const;  // for messages

 private:
  TempDir tmp_;
  std::vector<std::string> files_;
  std::vector<std::string> sources_;
};

inline constexpr const char* kDebianArchiveKeyring =
    "/usr/share/keyrings/debian-archive-keyring.gpg";

// What a verification depends on, as a SHA-256 hex: the signed bytes, the
// detached signature ("" for InRelease), every keyring file's content and
// the UTC day of `now`. A Release verified once under a key need not go
// through gpgv again (debian/cache.h keeps the memo); the day makes an
// expired or revoked key count from the next day on at the latest, and any
// change to the keyrings counts at once.
std::string verification_key(const std::string& signed_data, const std::string& signature,
                             const Keyring& keyring, int64_t now);

// Removes the temp directories of verifications a killed process left in
// $TMPDIR. A verification's own temp directories sweep them too, but a
// build that takes every Release from the memo runs none. Only the first
// call of a process sweeps.
void remove_stale_verification_temps();

// Verifies a cleartext-signed InRelease; returns the signed text. Throws
// Error "<where>: ..." on a bad or unknown signature or a malformed file.
std::string verify_clearsigned(const std::string& inrelease, const Keyring& keyring,
                               const std::string& where);
// Verifies a detached signature (Release + Release.gpg); returns `data`.
std::string verify_detached(const std::string& data, const std::string& signature,
                            const Keyring& keyring, const std::string& where);

}  // namespace distill::debian
