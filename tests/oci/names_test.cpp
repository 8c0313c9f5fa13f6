#include "oci/names.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace distill::oci {
namespace {

TEST(TagProblem, AcceptsTheDistributionGrammar) {
  for (const char* t : {"latest", "1.0", "v1.2.3-rc_1", "_x", "A", "debug-nonroot"})
    EXPECT_THAT(tag_problem(t), "") << t;
  EXPECT_EQ(tag_problem(std::string(128, 'a')), "");
}

TEST(TagProblem, NamesTheBadCharacter) {
  EXPECT_EQ(tag_problem("bad tag!"),
            "tag 'bad tag!': ' ' (a space) at position 4 is not allowed; a tag is 1-128 letters, "
            "digits, '_', '.' and '-', not starting with '.' or '-'");
  EXPECT_THAT(tag_problem(".hidden"),
              ::testing::StartsWith("tag '.hidden': '.' at position 1 is not allowed;"));
  EXPECT_THAT(tag_problem("a\x07"),
              ::testing::StartsWith("tag 'a\x07': byte 0x07 at position 2 is not allowed"));
  EXPECT_THAT(tag_problem(std::string(129, 'a'), "--tag"),
              "--tag '" + std::string(129, 'a') +
                  "': the tag is 129 characters long; at most 128 are allowed");
  EXPECT_NE(tag_problem(""), "");
}

TEST(RepositoryProblem, AcceptsComponentsAndHosts) {
  for (const char* n : {"app", "library/debian", "x/a.b_c__d---e/f", "127.0.0.1:5000/x/y",
                        "localhost/app", "ghcr.io/org/app"})
    EXPECT_EQ(repository_problem(n), "") << n;
}

TEST(RepositoryProblem, NamesTheBadCharacter) {
  EXPECT_EQ(repository_problem("My/app"),
            "repository 'My/app': 'M' at position 1 is not allowed; repository path components "
            "are lowercase letters and digits joined by '.', '_', '__' or '-'");
  EXPECT_THAT(repository_problem("a..b"),
              ::testing::StartsWith("repository 'a..b': '.' at position 3 is not "));
  EXPECT_THAT(repository_problem("app-"),
              ::testing::StartsWith("repository 'app-': '-' at position 4 is not "));
  EXPECT_THAT(repository_problem("a___b"),
              ::testing::StartsWith("repository 'a___b': '_' at position 4 is not "));
  EXPECT_THAT(repository_problem("a//b"),
              ::testing::StartsWith("repository 'a//b': empty path component at position"));
  EXPECT_THAT(repository_problem("host:port/x"),
              ::testing::StartsWith("repository 'host:port/x': 'p' at position 6 is not "));
}

TEST(TagFlagProblem, PlainTagOrNameColonTag) {
  EXPECT_THAT(tag_flag_problem("latest", "--tag"), "");
  EXPECT_EQ(tag_flag_problem("app:1.0", "--tag"), "");
  EXPECT_EQ(tag_flag_problem("127.0.0.1:5000/app:1", "--tag"), "");
  EXPECT_EQ(tag_flag_problem("org/app", "--tag"), "");
  EXPECT_THAT(tag_flag_problem("app:1 0", "--tag"),
              ::testing::StartsWith("--tag 'app:1 0': ' ' (a space) at position 6 is"));
  EXPECT_THAT(tag_flag_problem("App:1", "--tag"),
              ::testing::StartsWith("--tag 'App:1': 'A' at position 1 is not"));
}

}  // namespace
}  // namespace distill::oci
