#include "util/strings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace distill {
namespace {

using Strings = std::vector<std::string>;

TEST(Strings, LowerAndCaseInsensitiveComparisons) {
  EXPECT_EQ(lower("Content-Type: TEXT/Plain \xc3\x89"), "content-type: text/plain \xc3\x89");
  EXPECT_TRUE(iequals("WWW-Authenticate", "www-authenticate"));
  EXPECT_FALSE(iequals("Signed-By", "Signed-Byx"));
  EXPECT_FALSE(iequals("a", "b"));
  EXPECT_TRUE(istarts_with("GPL-2+ or Artistic", "gpl"));
  EXPECT_FALSE(istarts_with("GP", "gpl"));
}

TEST(Strings, SplitKeepsEveryField) {
  EXPECT_EQ(split("root:x:0:0::/root:/bin/sh", ':'),
            (Strings{"root", "x", "0", "0", "", "/root", "/bin/sh"}));
  EXPECT_EQ(split("", ','), (Strings{""}));
  EXPECT_EQ(split("a,", ','), (Strings{"a", ""}));
}

TEST(Strings, SplitListTrimsAndDropsEmptyItems) {
  EXPECT_EQ(split_list("amd64,arm64"), (Strings{"amd64", "arm64"}));
  EXPECT_EQ(split_list(" a.gpg , ,b.gpg,"), (Strings{"a.gpg", "b.gpg"}));
  EXPECT_EQ(split_list(""), Strings{});
  EXPECT_EQ(split_list("x|y", '|'), (Strings{"x", "y"}));
}

TEST(Strings, StripTrailingSlashesKeepsOneCharacter) {
  EXPECT_EQ(strip_trailing_slashes("http://127.0.0.1/debian//"), "http://127.0.0.1/debian");
  EXPECT_EQ(strip_trailing_slashes("/"), "/");
  EXPECT_EQ(strip_trailing_slashes("file:/srv/repo"), "file:/srv/repo");
}

TEST(Strings, TrimRemovesAsciiWhitespaceOnly) {
  EXPECT_EQ(trim(" \t value \r\n"), "value");
  EXPECT_EQ(trim("\xc2\xa0x"), "\xc2\xa0x");
}

}  // namespace
}  // namespace distill
