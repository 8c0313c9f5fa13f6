#include "archive/tar_entry.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace distill {

TEST(NormalizeMemberPath, StripsPrefixesAndFoldsDots) {
  EXPECT_EQ(normalize_member_path("./usr/bin/x"), "usr/bin/x");
  EXPECT_EQ(normalize_member_path("/usr/bin/x"), "usr/bin/x");
  EXPECT_EQ(normalize_member_path("usr//bin///x"), "usr/bin/x");
  EXPECT_EQ(normalize_member_path("usr/./bin/./x"), "usr/bin/x");
  EXPECT_EQ(normalize_member_path("usr/bin/"), "usr/bin");
  EXPECT_EQ(normalize_member_path("././etc/"), "etc");
  EXPECT_EQ(normalize_member_path("a"), "a");
}

TEST(NormalizeMemberPath, RootIsEmpty) {
  EXPECT_EQ(normalize_member_path("./"), "");
  EXPECT_EQ(normalize_member_path("/"), "");
  EXPECT_EQ(normalize_member_path("."), "");
  EXPECT_EQ(normalize_member_path(""), "");
}

TEST(NormalizeMemberPath, RefusesAnyDotDot) {
  EXPECT_THROW(normalize_member_path(".."), Error);
  EXPECT_THROW(normalize_member_path("../etc/passwd"), Error);
  EXPECT_THROW(normalize_member_path("/../x"), Error);
  EXPECT_THROW(normalize_member_path("a/../../x"), Error);
  // Even one that folds back inside: only crafted archives contain these.
  EXPECT_THROW(normalize_member_path("a/../b"), Error);
  EXPECT_THROW(normalize_member_path("a/.."), Error);
}

TEST(NormalizeMemberPath, DotDotLookalikesAreNames) {
  EXPECT_EQ(normalize_member_path("a/..b"), "a/..b");
  EXPECT_EQ(normalize_member_path("a/b.."), "a/b..");
  EXPECT_EQ(normalize_member_path("..."), "...");
  EXPECT_EQ(normalize_member_path(".hidden/x"), ".hidden/x");
}

TEST(NormalizeMemberPath, RefusesNul) {
  EXPECT_THROW(normalize_member_path(std::string("a\0b", 3)), Error);
}

TEST(NormalizeMemberPath, ErrorNamesThePath) {
  try {
    normalize_member_path("x/../../evil");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("x/../../evil"), std::string::npos) << e.what();
  }
}

TEST(SymlinkStaysInside, RelativeTargets) {
  EXPECT_TRUE(symlink_stays_inside("usr/bin/sh", "busybox"));
  EXPECT_TRUE(symlink_stays_inside("usr/bin/sh", "../lib/x"));
  EXPECT_TRUE(symlink_stays_inside("usr/bin/sh", "../../etc/passwd"));
  EXPECT_FALSE(symlink_stays_inside("usr/bin/sh", "../../../etc/passwd"));
  EXPECT_FALSE(symlink_stays_inside("top", ".."));
  EXPECT_TRUE(symlink_stays_inside("top", "."));
  EXPECT_TRUE(symlink_stays_inside("a/b", "./c/../d"));
  EXPECT_FALSE(symlink_stays_inside("a/b", "c/../../../d"));
}

TEST(SymlinkStaysInside, AbsoluteTargetsAreRelativeToRoot) {
  EXPECT_TRUE(symlink_stays_inside("bin", "/usr/bin"));
  EXPECT_TRUE(symlink_stays_inside("a/b/c", "/etc/../etc/x"));
  EXPECT_FALSE(symlink_stays_inside("a/b/c", "/../etc"));
  EXPECT_TRUE(symlink_stays_inside("a", "/"));
}

TEST(SymlinkStaysInside, EmptyTargetIsRefused) {
  EXPECT_FALSE(symlink_stays_inside("a", ""));
}

TEST(SymlinkStaysInside, LinkPathWithLeadingSlashOrDot) {
  EXPECT_TRUE(symlink_stays_inside("/usr/bin/sh", "../../x"));
  EXPECT_FALSE(symlink_stays_inside("./usr/sh", "../../x"));
}

TEST(TarEntryType, Names) {
  EXPECT_STREQ(type_name(TarEntry::Type::kFile), "file");
  EXPECT_STREQ(type_name(TarEntry::Type::kHardlink), "hardlink");
  EXPECT_STREQ(type_name(TarEntry::Type::kSymlink), "symlink");
}

}  // namespace distill
