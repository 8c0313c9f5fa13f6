#include "debian/signature.h"

#include <mutex>
#include <sstream>

#include "util/error.h"
#include "util/process.h"
#include "util/sha256.h"

namespace distill::debian {

namespace {

constexpr const char* kBeginSigned = "-----BEGIN PGP SIGNED MESSAGE-----";
constexpr const char* kBeginSig = "-----BEGIN PGP SIGNATURE-----";
constexpr const char* kEndSig = "-----END PGP SIGNATURE-----";
constexpr const char* kArmoredKey = "-----BEGIN PGP PUBLIC KEY BLOCK-----";

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

std::string require_gpgv() {
  std::string gpgv = find_program("gpgv");
  if (gpgv.empty())
    throw Error("gpgv not found in PATH; install the gpgv package to verify repositories");
  return gpgv;
}

// Runs gpgv and insists on a VALIDSIG status line; returns gpgv's stdout.
std::string run_gpgv(std::vector<std::string> files, const Keyring& keyring, bool output,
                     const std::string& where) {
  TempDir home("", "distill-gpgv");
  std::vector<std::string> argv = {require_gpgv(), "--homedir", home.path(), "--status-fd", "2"};
  for (const auto& k : keyring.files()) {
    argv.push_back("--keyring");
    argv.push_back(k);
  }
  if (output) {
    argv.push_back("--output");
    argv.push_back("-");
  }
  argv.insert(argv.end(), files.begin(), files.end());
  ProcessResult r = run_process(argv, "", 60);
  bool valid = false;
  std::string problem;
  std::istringstream lines(r.err);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with("[GNUPG:] ")) continue;
    std::string status = line.substr(9);
    std::string word = status.substr(0, status.find(' '));
    std::string arg = status.size() > word.size() ? status.substr(word.size() + 1) : "";
    if (word == "VALIDSIG") valid = true;
    if (word == "BADSIG") problem = "BAD signature from " + arg;
    if (word == "NO_PUBKEY" && problem.empty())
      problem = "signed by key " + arg + ", which is not in " + keyring.describe();
    if (word == "EXPKEYSIG") problem = "signed with an expired key " + arg;
    if (word == "REVKEYSIG") problem = "signed with a revoked key " + arg;
    if (word == "NODATA" && problem.empty()) problem = "no OpenPGP signature found";
  }
  if (r.exit_code != 0 || !valid || problem.starts_with("BAD")) {
    if (problem.empty()) {
      std::string e = r.err;
      while (!e.empty() && e.back() == '\n') e.pop_back();
      size_t nl = e.rfind('\n');
      problem = "gpgv failed (exit " + std::to_string(r.exit_code) +
                "): " + (nl == std::string::npos ? e : e.substr(nl + 1));
    }
    throw Error(where + ": signature verification failed: " + problem);
  }
  return r.out;
}

}  // namespace

Keyring::Keyring(const std::vector<std::string>& paths, const std::string& inline_key)
    : tmp_("", "distill-keyring") {
  std::vector<std::string> inputs = paths;
  if (inputs.empty() && inline_key.empty()) inputs.push_back(kDebianArchiveKeyring);
  int n = 0;
  auto dearmor = [&](const std::string& armored, const std::string& from) {
    std::string gpg = find_program("gpg");
    if (gpg.empty()) throw Error(from + ": ASCII-armored keyring needs gpg to dearmor it");
    ProcessResult r =
        run_process({gpg, "--homedir", tmp_.path(), "--batch", "--dearmor"}, armored, 60);
    if (r.exit_code != 0 || r.out.empty()) throw Error(from + ": cannot dearmor keyring: " + r.err);
    std::string out = join_path(tmp_.path(), "key" + std::to_string(n++) + ".gpg");
    write_file_atomic(out, r.out);
    files_.push_back(out);
  };
  for (const auto& p : inputs) {
    if (!path_exists(p)) throw Error("keyring " + p + " does not exist");
    sources_.push_back(p);
    std::string head = read_file(p).substr(0, 4096);
    if (head.find(kArmoredKey) != std::string::npos) {
      dearmor(read_file(p), p);
    } else {
      files_.push_back(absolute_path(p));
    }
  }
  if (!inline_key.empty()) {
    sources_.push_back("inline Signed-By key");
    dearmor(inline_key, "inline Signed-By key");
  }
}

std::string Keyring::describe() const {
  std::string s;
  for (const auto& k : sources_) s += (s.empty() ? "" : ", ") + k;
  return "keyring " + s;
}

void remove_stale_verification_temps() {
  // Once per process: a warm build takes every Release from the memo, and
  // listing TMPDIR for each of them was work on its hot path.
  static std::once_flag swept;
  std::call_once(swept, [] {
    remove_stale_temps("", ".distill-gpgv.tmp-");
    remove_stale_temps("", ".distill-verify.tmp-");
  });
}

std::string verification_key(const std::string& signed_data, const std::string& signature,
                             const Keyring& keyring, int64_t now) {
  Sha256 h;
  auto field = [&](std::string_view bytes) {
    h.update(std::to_string(bytes.size()) + ":");
    h.update(bytes);
  };
  field("distill verification 1");
  field(signed_data);
  field(signature);
  for (const auto& file : keyring.files()) field(sha256_file_hex(file));
  field(std::to_string(now / 86400));
  return h.hex();
}

std::string verify_clearsigned(const std::string& inrelease, const Keyring& keyring,
                               const std::string& where) {
  // Refuse anything but exactly one signed message with nothing around it,
  // the shape apt accepts too (there were attacks with extra blocks).
  if (!inrelease.starts_with(kBeginSigned))
    throw Error(where + ": not a cleartext-signed file (no '" + std::string(kBeginSigned) +
                "' at the start)");
  if (count(inrelease, kBeginSigned) != 1 || count(inrelease, kBeginSig) != 1 ||
      count(inrelease, kEndSig) != 1)
    throw Error(where + ": must contain exactly one signed message");
  size_t end = inrelease.find(kEndSig) + std::string(kEndSig).size();
  if (inrelease.find_first_not_of(" \t\r\n", end) != std::string::npos)
    throw Error(where + ": data after the signature");
  TempDir tmp("", "distill-verify");
  std::string file = join_path(tmp.path(), "InRelease");
  write_file_atomic(file, inrelease);
  std::string text = run_gpgv({file}, keyring, true, where);
  if (text.empty()) throw Error(where + ": signature verified but the signed text is empty");
  return text;
}

std::string verify_detached(const std::string& data, const std::string& signature,
                            const Keyring& keyring, const std::string& where) {
  TempDir tmp("", "distill-verify");
  std::string sig = join_path(tmp.path(), "Release.gpg");
  std::string file = join_path(tmp.path(), "Release");
  write_file_atomic(sig, signature);
  write_file_atomic(file, data);
  run_gpgv({sig, file}, keyring, false, where);
  return data;
}

}  // namespace distill::debian
