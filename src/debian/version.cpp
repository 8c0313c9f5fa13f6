#include "debian/version.h"

#include <cstdint>

#include "util/error.h"

namespace distill::debian {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// dpkg's order(): '~' < end-of-string/digits < letters < everything else.
// The end of the string is handled by the caller: a NUL byte inside the
// string (possible in an index, never in dpkg's C strings) must rank as
// "everything else", or it compares equal to a digit and the order stops
// being transitive.
int order(char c) {
  if (is_digit(c)) return 0;
  if (is_alpha(c)) return c;
  if (c == '~') return -1;
  return static_cast<unsigned char>(c) + 256;
}

// dpkg's verrevcmp(); `end` stands in for dpkg's NUL terminator.
int verrevcmp(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  auto at = [](std::string_view s, size_t k) { return k < s.size() ? s[k] : '\0'; };
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !is_digit(a[i])) || (j < b.size() && !is_digit(b[j]))) {
      int ac = i < a.size() ? order(a[i]) : 0;
      int bc = j < b.size() ? order(b[j]) : 0;
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (at(a, i) == '0') ++i;
    while (at(b, j) == '0') ++j;
    while (is_digit(at(a, i)) && is_digit(at(b, j))) {
      if (!first_diff) first_diff = at(a, i) - at(b, j);
      ++i;
      ++j;
    }
    if (is_digit(at(a, i))) return 1;
    if (is_digit(at(b, j))) return -1;
    if (first_diff) return first_diff;
  }
  return 0;
}

struct Parts {
  uint64_t epoch = 0;
  std::string_view upstream, revision;
};

Parts split(std::string_view v) {
  Parts p;
  size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    for (size_t k = 0; k < colon; ++k) {
      if (!is_digit(v[k])) {
        p.epoch = 0;
        break;
      }
      // Saturate instead of overflowing; validation rejects such epochs.
      p.epoch = p.epoch > (UINT64_MAX - 9) / 10 ? UINT64_MAX : p.epoch * 10 + (v[k] - '0');
    }
    v.remove_prefix(colon + 1);
  }
  size_t dash = v.rfind('-');
  if (dash != std::string_view::npos) {
    p.revision = v.substr(dash + 1);
    v = v.substr(0, dash);
  }
  p.upstream = v;
  return p;
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  Parts pa = split(a), pb = split(b);
  if (pa.epoch != pb.epoch) return pa.epoch < pb.epoch ? -1 : 1;
  int r = verrevcmp(pa.upstream, pb.upstream);
  if (r) return r;
  return verrevcmp(pa.revision, pb.revision);
}

std::string version_problem(std::string_view v, bool strict) {
  if (v.empty()) return "empty";
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return "contains whitespace";
  }
  size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    std::string_view epoch = v.substr(0, colon);
    if (epoch.empty()) return "empty epoch";
    uint64_t n = 0;
    for (char c : epoch) {
      if (!is_digit(c)) return "epoch is not a number";
      n = n * 10 + (c - '0');
      if (n > INT32_MAX) return "epoch is too big";
    }
    v.remove_prefix(colon + 1);
    if (v.empty()) return "nothing after the epoch colon";
  }
  std::string_view revision;
  size_t dash = v.rfind('-');
  if (dash != std::string_view::npos) {
    revision = v.substr(dash + 1);
    if (revision.empty()) return "empty revision";
    v = v.substr(0, dash);
  }
  if (v.empty()) return "empty upstream version";
  if (!strict) return "";
  if (!is_digit(v[0])) return "upstream version does not start with a digit";
  for (char c : v) {
    if (!is_digit(c) && !is_alpha(c) && c != '.' && c != '-' && c != '+' && c != '~' && c != ':')
      return std::string("invalid character '") + c + "' in upstream version";
  }
  for (char c : revision) {
    if (!is_digit(c) && !is_alpha(c) && c != '.' && c != '+' && c != '~')
      return std::string("invalid character '") + c + "' in revision";
  }
  return "";
}

void check_version(std::string_view version, const std::string& what, bool strict) {
  std::string problem = version_problem(version, strict);
  if (!problem.empty())
    throw Error(what + ": invalid version '" + std::string(version) + "': " + problem);
}

}  // namespace distill::debian
