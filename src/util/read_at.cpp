#include "util/read_at.h"

#include <unistd.h>

#include "util/error.h"

namespace distill {

std::string read_at(int fd, uint64_t off, size_t len, const std::string& path) {
  std::string buf(len, '\0');
  size_t got = 0;
  while (got < len) {
    ssize_t n = ::pread(fd, buf.data() + got, len - got, static_cast<off_t>(off + got));
    if (n < 0) throw_errno("cannot read", path);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  buf.resize(got);
  return buf;
}

}  // namespace distill
