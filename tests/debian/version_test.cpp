#include "debian/version.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "dpkg_compare.h"
#include "util/error.h"
#include "util/process.h"

namespace distill::debian {
namespace {

TEST(Version, FixedCases) {
  struct Case {
    const char *a, *b;
    int want;
  } cases[] = {
      {"1.0", "1.0", 0},
      {"1.0", "1.0-0", 0},  // absent revision == "0"
      {"0:1.0", "1.0", 0},
      {"1.0", "1.1", -1},
      {"1.2", "1.10", -1},  // digits numerically
      {"1.010", "1.10", 0},
      {"1.0~rc1", "1.0", -1},  // '~' before end
      {"1.0~~", "1.0~", -1},
      {"1.0~~a", "1.0~~", 1},
      {"1.0~", "1.0~a", -1},
      {"1.0a", "1.0+", -1},  // letters before non-letters
      {"1.0a", "1.0", 1},
      {"1.0+", "1.0.", -1},  // by ASCII among non-letters
      {"1:0.1", "2.0", 1},   // epoch wins
      {"10:1", "9:2", 1},
      {"1.0-1", "1.0-1ubuntu1", -1},
      {"1.0-1", "1.0-1.1", -1},
      {"1.0-1~bpo1", "1.0-1", -1},
      {"2.30-1+deb12u1", "2.30-1", 1},
      {"1.2-3-4", "1.2-3", 1},  // revision is after the last '-'
      {"1.0-a", "1.0-B", 1},
      {"0001", "1", 0},
      {"1.000000000000000000000000000001", "1.1", 0},
      {"1.99999999999999999999999", "1.100000000000000000000000", -1},
      {"3.0.11-1~deb12u2", "3.0.11-1", -1},
      {"7.88.1-10+deb12u5", "7.88.1-10+deb12u12", -1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(sign_of(compare_versions(c.a, c.b)), c.want) << c.a << " vs " << c.b;
    EXPECT_EQ(sign_of(compare_versions(c.b, c.a)), -c.want) << c.b << " vs " << c.a;
  }
}

TEST(Version, Validation) {
  EXPECT_TRUE(is_valid_version("1.0"));
  EXPECT_TRUE(is_valid_version("1:2.3.4-5+deb12u1~bpo1"));
  EXPECT_TRUE(is_valid_version("1:2:3-4"));  // ":" allowed in upstream after an epoch
  EXPECT_TRUE(is_valid_version("1.0-2-3"));
  EXPECT_EQ(version_problem(""), "empty");
  EXPECT_EQ(version_problem("1 .0"), "contains whitespace");
  EXPECT_EQ(version_problem(":1.0"), "empty epoch");
  EXPECT_EQ(version_problem("a:1.0"), "epoch is not a number");
  EXPECT_EQ(version_problem("1.2:3-4"), "epoch is not a number");
  EXPECT_EQ(version_problem("99999999999:1.0"), "epoch is too big");
  EXPECT_EQ(version_problem("1:"), "nothing after the epoch colon");
  EXPECT_EQ(version_problem("1.0-"), "empty revision");
  EXPECT_EQ(version_problem("-1"), "empty upstream version");
  EXPECT_EQ(version_problem("a1.0"), "upstream version does not start with a digit");
  EXPECT_EQ(version_problem("1.0_1"), "invalid character '_' in upstream version");
  EXPECT_EQ(version_problem("1:1.0-1:2"), "invalid character ':' in revision");
  // Lenient mode: only what dpkg itself refuses (it just warns about these).
  EXPECT_EQ(version_problem("a1.0", false), "");
  EXPECT_EQ(version_problem("1.0_1", false), "");
  EXPECT_EQ(version_problem("1:1.0-1:2", false), "");
  EXPECT_EQ(version_problem("a:1.0", false), "epoch is not a number");
  EXPECT_EQ(version_problem("1.0-", false), "empty revision");
  EXPECT_EQ(version_problem("1 0", false), "contains whitespace");
  EXPECT_EQ(version_problem("", false), "empty");
  EXPECT_NO_THROW(check_version("a1", "x", false));
  try {
    check_version("1.0_1", "Packages:12: foo");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "Packages:12: foo: invalid version '1.0_1': invalid character '_' in upstream "
                 "version");
  }
  EXPECT_NO_THROW(check_version("1.0", "x"));
}

// Versions built from the pieces dpkg's algorithm treats specially.
std::vector<std::string> corpus(size_t n) {
  std::mt19937 rng(20261128);  // fixed seed: the corpus is the same every run
  const char* epochs[] = {"", "", "", "0:", "1:", "2:", "10:"};
  const char* pieces[] = {"0", "1",  "2", "9", "10", "01", "00", "a",   "b",     "Z", "z",
                          "~", "~~", "+", ".", "~a", "a~", "1a", "rc1", "+dfsg", ".0"};
  const char* revisions[] = {"",    "",      "-0",  "-1",      "-1~", "-1.1", "-2",
                             "-1a", "-1+b1", "-10", "-1~bpo1", "-a",  "-1-1"};
  auto pick = [&](auto& arr) { return std::string(arr[rng() % std::size(arr)]); };
  std::vector<std::string> out;
  while (out.size() < n) {
    std::string v = pick(epochs) + std::to_string(rng() % 3);
    int len = rng() % 4;
    for (int k = 0; k < len; ++k) v += pick(pieces);
    v += pick(revisions);
    if (is_valid_version(v)) out.push_back(v);
  }
  return out;
}

// Compares our ordering with dpkg's own on ~1500 generated pairs. dpkg runs
// once per pair, in two parallel loops inside one shell, to keep this < 10 s.
TEST(Version, AgreesWithDpkgOnGeneratedCorpus) {
  if (find_program("dpkg").empty()) GTEST_SKIP() << "dpkg not installed";
  std::vector<std::string> vs = corpus(600);
  std::mt19937 rng(7);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i + 1 < vs.size(); ++i) pairs.push_back({vs[i], vs[i + 1]});
  for (int k = 0; k < 900; ++k) {
    // Near pairs: a version against a small mutation of itself.
    std::string a = vs[rng() % vs.size()];
    std::string b = a;
    const char* tails[] = {"~", "0", "a", "+", "-0", ".", "~~"};
    b += tails[rng() % std::size(tails)];
    if (!is_valid_version(b)) continue;
    pairs.push_back(rng() % 2 ? std::make_pair(a, b) : std::make_pair(b, a));
  }
  size_t checked = 0;
  for (const DpkgOrder& d : dpkg_orders(pairs, 60)) {
    EXPECT_EQ(sign_of(compare_versions(d.a, d.b)), d.order) << d.a << " vs " << d.b;
    ++checked;
  }
  EXPECT_EQ(checked, pairs.size());
}

TEST(Version, TotalOrderProperties) {
  std::vector<std::string> vs = corpus(300);
  for (const auto& a : vs) {
    EXPECT_EQ(compare_versions(a, a), 0);
    for (const auto& b : vs) {
      int ab = sign_of(compare_versions(a, b));
      ASSERT_EQ(ab, -sign_of(compare_versions(b, a))) << a << " " << b;
    }
  }
  // Sorting must be consistent: transitivity on every adjacent triple.
  std::sort(vs.begin(), vs.end(),
            [](const std::string& x, const std::string& y) { return compare_versions(x, y) < 0; });
  for (size_t i = 0; i + 2 < vs.size(); ++i) {
    EXPECT_LE(compare_versions(vs[i], vs[i + 1]), 0);
    EXPECT_LE(compare_versions(vs[i], vs[i + 2]), 0);
  }
  for (size_t i = 0; i < vs.size(); i += 7)
    for (size_t j = i; j < vs.size(); j += 5) EXPECT_LE(compare_versions(vs[i], vs[j]), 0);
}

}  // namespace
}  // namespace distill::debian
