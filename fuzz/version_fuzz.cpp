// Version comparison must be a total order: reflexive, antisymmetric and
// transitive on any three versions (split from the input at newlines).
// Agreement with dpkg itself is checked on the committed corpus by
// tests/debian/version_corpus_test.cpp, since forking dpkg per input is slow.
#include <cstdio>
#include <cstdlib>

#include "debian/version.h"
#include "fuzz_util.h"
#include "util/error.h"

namespace {

int sign(int v) {
  return (v > 0) - (v < 0);
}

[[noreturn]] void violated(const char* property, std::string_view a, std::string_view b,
                           std::string_view c) {
  std::fprintf(stderr, "version order violates %s: a='%.*s' b='%.*s' c='%.*s'\n", property,
               static_cast<int>(a.size()), a.data(), static_cast<int>(b.size()), b.data(),
               static_cast<int>(c.size()), c.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using distill::debian::compare_versions;
  auto parts = distill::fuzz::split(distill::fuzz::as_text(data, size), "\n", 3);
  while (parts.size() < 3) parts.push_back(parts.back());
  std::string_view a = parts[0], b = parts[1], c = parts[2];
  for (auto v : {a, b, c}) {
    if (compare_versions(v, v) != 0) violated("reflexivity", v, v, v);
    distill::debian::version_problem(v, true);
    distill::debian::version_problem(v, false);
    try {
      distill::debian::check_version(v, "fuzz", false);
    } catch (const distill::Error&) {
    }
  }
  int ab = sign(compare_versions(a, b)), ba = sign(compare_versions(b, a));
  int bc = sign(compare_versions(b, c)), ac = sign(compare_versions(a, c));
  if (ab != -ba) violated("antisymmetry", a, b, c);
  // a <= b <= c implies a <= c, with equality only when both steps are equal.
  if (ab <= 0 && bc <= 0 && ac > 0) violated("transitivity", a, b, c);
  if (ab >= 0 && bc >= 0 && ac < 0) violated("transitivity", a, b, c);
  if (ab == 0 && bc == 0 && ac != 0) violated("transitivity of equality", a, b, c);
  if (ab == 0 && ac != bc) violated("substitution of equals", a, b, c);
  return 0;
}
