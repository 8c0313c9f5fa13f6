#include "util/umask.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

namespace distill {

mode_t current_umask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Umask:", 0) == 0)
      return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
  }
  mode_t m = ::umask(022);
  ::umask(m);
  return m;
}

}  // namespace distill
