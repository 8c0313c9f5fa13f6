// Errors a user can act on. Every failure that reaches the CLI is an Error
// whose message names the file, field or package involved, and whose kind
// says what sort of failure it is, so code that decides (retry or not, which
// hint to add) tests the kind instead of searching the message text.
#pragma once

#include <stdexcept>
#include <string>

namespace distill {

enum class ErrorKind {
  kInvalid,    // input that cannot be used: a malformed definition, file, flag or server answer
  kUsage,      // the command line asks for something contradictory or unsupported
  kNotFound,   // a named file, package, image, tag or blob does not exist
  kIo,         // a system call on a local file or directory failed (permissions, full disk)
  kNetwork,    // a connection failed in a way another attempt will not fix (no such host)
  kTransient,  // a connection dropped or timed out, or a server said "later" (5xx, 429)
  kTls,        // the TLS handshake or the server certificate's verification failed
  kRejected,   // a server refused the request for good (HTTP 4xx other than auth/404)
  kAuth,       // credentials are missing, wrong, or lack permission
  kIntegrity,  // bytes do not match their digest, size or signature
  kInternal,   // a library failed in a way the user cannot fix (out of memory, init)
};

// A short lower-case name of `kind` ("transient", "not found"), for logs and tests.
const char* error_kind_name(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  // An error of kind kInvalid, the most common one: input that cannot be used.
  explicit Error(const std::string& message) : Error(ErrorKind::kInvalid, message) {}
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// errno-based failure of a system call on `path`: kNotFound for ENOENT,
// kIo otherwise.
[[noreturn]] void throw_errno(const std::string& what, const std::string& path);

}  // namespace distill
