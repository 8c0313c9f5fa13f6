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
#include "dpkg_compare.h"
#include "util/process.h"

namespace distill::debian {
namespace {

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
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i < vs.size(); ++i) {
    for (size_t j = i + 1; j < vs.size(); ++j) pairs.emplace_back(vs[i], vs[j]);
  }
  size_t checked = 0;
  for (const DpkgOrder& d : dpkg_orders(pairs, 120)) {
    EXPECT_EQ(sign_of(compare_versions(d.a, d.b)), d.order) << d.a << " vs " << d.b;
    ++checked;
  }
  EXPECT_EQ(checked, pairs.size());
}

// Found by fuzz/version_fuzz (fuzz/regressions/version/): NUL bytes inside a
// version compared equal to digits, so "10" < "\0\0\0\09" < "9.10" < "10".
TEST(VersionCorpus, EmbeddedNulKeepsTheOrderTransitive) {
  std::string a = "10",
              b("\0\0\0\0"
                "9",
                5),
              c = "9.10";
  int ab = sign_of(compare_versions(a, b)), bc = sign_of(compare_versions(b, c));
  int ac = sign_of(compare_versions(a, c));
  EXPECT_EQ(ac, 1);
  EXPECT_FALSE(ab <= 0 && bc <= 0) << ab << " " << bc;
  EXPECT_EQ(sign_of(compare_versions(b, a)), -ab);
  EXPECT_EQ(compare_versions(b, b), 0);
  // A NUL ranks with the other non-letters, after letters and digits.
  EXPECT_GT(compare_versions(std::string("1\0", 2), "1a"), 0);
}

}  // namespace
}  // namespace distill::debian
