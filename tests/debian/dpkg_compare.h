#pragma once

// Asks dpkg itself how pairs of versions order, so that tests can hold our
// compare_versions to the reference implementation.

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "util/process.h"

namespace distill::debian {

struct DpkgOrder {
  std::string a, b;
  int order;  // -1, 0 or 1 as dpkg --compare-versions says
};

// One dpkg run per pair, in two parallel loops inside one shell. Versions
// must be dpkg-valid (at most a warning). Throws when the shell fails.
inline std::vector<DpkgOrder> dpkg_orders(
    const std::vector<std::pair<std::string, std::string>>& pairs, int timeout_seconds) {
  std::string input;
  for (const auto& [a, b] : pairs) input += a + " " + b + "\n";
  const char* script = R"(set -e
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat > "$d/in"
split -n l/2 "$d/in" "$d/part."
for f in "$d"/part.*; do
  (while read -r a b; do
    if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo "$a $b <"
    elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo "$a $b ="
    else echo "$a $b >"; fi
  done < "$f" > "$f.out") &
done
wait
cat "$d"/part.*.out
)";
  ProcessResult r = run_process({"sh", "-c", script}, input, timeout_seconds);
  if (r.exit_code != 0) throw std::runtime_error("dpkg comparison script failed: " + r.err);
  std::vector<DpkgOrder> out;
  std::istringstream lines(r.out);
  std::string a, b, op;
  while (lines >> a >> b >> op) out.push_back({a, b, op == "<" ? -1 : op == "=" ? 0 : 1});
  return out;
}

inline int sign_of(int v) {
  return (v > 0) - (v < 0);
}

}  // namespace distill::debian
