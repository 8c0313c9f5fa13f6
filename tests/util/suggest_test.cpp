#include "util/suggest.h"

#include <gtest/gtest.h>

namespace distill {
namespace {

TEST(EditDistance, CountsInsertDeleteSubstituteAndSwap) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("build", "build"), 0u);
  EXPECT_EQ(edit_distance("buidl", "build"), 1u);   // swap
  EXPECT_EQ(edit_distance("statc", "static"), 1u);  // insert
  EXPECT_EQ(edit_distance("bulid", "build"), 1u);
  EXPECT_EQ(edit_distance("copy", "cope"), 1u);  // substitute
  EXPECT_EQ(edit_distance("diff", "dif"), 1u);   // delete
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(ClosestMatch, SuggestsOnlyLikelyTypos) {
  std::vector<std::string> cmds{"build", "images", "copy", "inspect", "diff", "extract", "lock"};
  EXPECT_EQ(closest_match("buidl", cmds), "build");
  EXPECT_EQ(closest_match("inspcet", cmds), "inspect");
  EXPECT_EQ(closest_match("xyzzy", cmds), "");
  EXPECT_EQ(closest_match("ls", cmds), "");
  EXPECT_EQ(closest_match("build", cmds), "");  // never the word itself
  EXPECT_EQ(did_you_mean("--fromat", {"--format", "--tag"}), "; did you mean '--format'?");
  EXPECT_EQ(did_you_mean("--zzz", {"--format"}), "");
}

}  // namespace
}  // namespace distill
