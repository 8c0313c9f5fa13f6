#include "archive/size_limits.h"

#include <cctype>

#include "util/error.h"

namespace distill {

// Besides whole units, a fraction of one ("1.5G", "0.5MiB") when it comes
// to a whole number of bytes (size_limits.h says the rest).
uint64_t parse_size(const std::string& text, const std::string& what) {
  auto bad = [&] {
    return Error(what + " must be a positive size such as 512M, 1.5G or 2GiB, not '" + text + "'");
  };
  size_t i = 0;
  uint64_t v = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (v > (UINT64_MAX - digit) / 10) throw Error(what + " '" + text + "' is too large");
    v = v * 10 + digit;
    ++i;
  }
  if (i == 0) throw bad();
  // A fraction ("1.5G"): at most 9 digits, counted in the unit's bytes.
  uint64_t frac = 0, scale = 1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i - start < 9) {
      frac = frac * 10 + static_cast<uint64_t>(text[i] - '0');
      scale *= 10;
      ++i;
    }
    if (i == start) throw bad();
  }
  std::string unit = text.substr(i);
  int shift = -1;
  for (const auto& [names, s] : std::initializer_list<std::pair<const char*, int>>{
           {"", 0}, {"B", 0}, {"K", 10}, {"M", 20}, {"G", 30}, {"T", 40}}) {
    std::string n = names;
    if (unit == n || (!n.empty() && n != "B" && (unit == n + "B" || unit == n + "iB"))) shift = s;
  }
  if (shift < 0) throw bad();
  if (shift > 0 && v > (UINT64_MAX >> shift)) throw Error(what + " '" + text + "' is too large");
  // frac < 10^9 < 2^30 and shift <= 40: the product fits in 128 bits.
  auto part = static_cast<uint64_t>((static_cast<unsigned __int128>(frac) << shift) / scale);
  if ((static_cast<unsigned __int128>(frac) << shift) % scale != 0)
    throw Error(what + " '" + text + "' is not a whole number of bytes");
  uint64_t whole = v << shift;
  if (whole > UINT64_MAX - part) throw Error(what + " '" + text + "' is too large");
  if (whole + part == 0) throw bad();
  return whole + part;
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
