#include "util/error.h"

#include <cerrno>
#include <cstring>

namespace distill {

void throw_errno(const std::string& what, const std::string& path) {
  int e = errno;
  throw Error(what + " " + path + ": " + std::strerror(e));
}

}  // namespace distill
