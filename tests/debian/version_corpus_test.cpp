// Our version ordering against dpkg's own on every pair of versions in the
// committed fuzz corpus (fuzz/corpus/version/*: three versions per file, one
// per line), so that the seeds the fuzzer's property checks start from are
// known to agree with dpkg --compare-versions.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "debian/version.h"
#include "util/process.h"

namespace distill::debian {
namespace {

int sign(int v) {
  return (v > 0) - (v < 0);
}

std::vector<std::string> corpus_versions() {
  std::set<std::string> out;
  std::filesystem::path dir = std::filesystem::path(DISTILL_SOURCE_DIR) / "fuzz/corpus/version";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    for (std::string line; std::getline(in, line);) {
      // Only what dpkg accepts (with a warning at most) can be compared by it.
      if (version_problem(line, false).empty()) out.insert(line);
    }
  }
  return {out.begin(), out.end()};
}

TEST(VersionCorpus, AgreesWithDpkgOnEveryPair) {
  if (find_program("dpkg").empty()) GTEST_SKIP() << "dpkg not installed";
  std::vector<std::string> vs = corpus_versions();
  // The corpus has ~60 distinct versions; fewer means the glob found nothing.
  ASSERT_GE(vs.size(), 40u);
  std::string input;
  size_t pairs = 0;
  for (size_t i = 0; i < vs.size(); ++i) {
    for (size_t j = i + 1; j < vs.size(); ++j, ++pairs) input += vs[i] + " " + vs[j] + "\n";
  }
  // One dpkg per comparison, in two parallel loops inside one shell.
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
  ProcessResult r = run_process({"sh", "-c", script}, input, 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string a, b, op;
  size_t checked = 0;
  while (lines >> a >> b >> op) {
    int want = op == "<" ? -1 : op == "=" ? 0 : 1;
    EXPECT_EQ(sign(compare_versions(a, b)), want) << a << " " << op << " " << b;
    ++checked;
  }
  EXPECT_EQ(checked, pairs);
}

// Found by fuzz/version_fuzz (fuzz/regressions/version/): NUL bytes inside a
// version compared equal to digits, so "10" < "\0\0\0\09" < "9.10" < "10".
TEST(VersionCorpus, EmbeddedNulKeepsTheOrderTransitive) {
  std::string a = "10",
              b("\0\0\0\0"
                "9",
                5),
              c = "9.10";
  int ab = sign(compare_versions(a, b)), bc = sign(compare_versions(b, c));
  int ac = sign(compare_versions(a, c));
  EXPECT_EQ(ac, 1);
  EXPECT_FALSE(ab <= 0 && bc <= 0) << ab << " " << bc;
  EXPECT_EQ(sign(compare_versions(b, a)), -ab);
  EXPECT_EQ(compare_versions(b, b), 0);
  // A NUL ranks with the other non-letters, after letters and digits.
  EXPECT_GT(compare_versions(std::string("1\0", 2), "1a"), 0);
}

}  // namespace
}  // namespace distill::debian
