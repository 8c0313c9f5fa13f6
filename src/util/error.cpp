#include "util/error.h"

#include <cerrno>
#include <cstring>

namespace distill {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalid:
      return "invalid";
    case ErrorKind::kUsage:
      return "usage";
    case ErrorKind::kNotFound:
      return "not found";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kNetwork:
      return "network";
    case ErrorKind::kTransient:
      return "transient";
    case ErrorKind::kTls:
      return "tls";
    case ErrorKind::kRejected:
      return "rejected";
    case ErrorKind::kAuth:
      return "auth";
    case ErrorKind::kIntegrity:
      return "integrity";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "unknown";
}

void throw_errno(const std::string& what, const std::string& path) {
  int e = errno;
  throw Error(e == ENOENT ? ErrorKind::kNotFound : ErrorKind::kIo,
              what + " " + path + ": " + std::strerror(e));
}

}  // namespace distill
