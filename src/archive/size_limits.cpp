#include "archive/size_limits.h"

#include <cctype>

#include "util/error.h"

namespace distill {

uint64_t parse_size(const std::string& text, const std::string& what) {
  size_t i = 0;
  uint64_t v = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (v > (UINT64_MAX - digit) / 10) throw Error(what + " '" + text + "' is too large");
    v = v * 10 + digit;
    ++i;
  }
  std::string unit = text.substr(i);
  int shift = -1;
  for (const auto& [names, s] : std::initializer_list<std::pair<const char*, int>>{
           {"", 0}, {"B", 0}, {"K", 10}, {"M", 20}, {"G", 30}, {"T", 40}}) {
    std::string n = names;
    if (unit == n || (!n.empty() && n != "B" && (unit == n + "B" || unit == n + "iB"))) shift = s;
  }
  if (i == 0 || shift < 0 || v == 0)
    throw Error(what + " must be a positive size such as 512M or 2G, not '" + text + "'");
  if (shift > 0 && v > (UINT64_MAX >> shift)) throw Error(what + " '" + text + "' is too large");
  return v << shift;
}

std::string format_size(uint64_t bytes) {
  static const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  int u = -1;
  uint64_t v = bytes;
  while (u < 3 && v >= 1024 && v % 1024 == 0) {
    v /= 1024;
    ++u;
  }
  if (u >= 0) return std::to_string(v) + " " + units[u];
  return std::to_string(bytes) + " bytes";
}

std::string over_limit(uint64_t size, uint64_t limit, const std::string& kind,
                       const std::string& flag) {
  return std::to_string(size) + " bytes, over the " + format_size(limit) + " " + kind +
         " limit (raise it with " + flag + " SIZE)";
}

}  // namespace distill
