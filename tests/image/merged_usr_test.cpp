#include "image/merged_usr.h"

#include <gtest/gtest.h>

#include "error_of.h"

namespace distill {
namespace {

TarEntry entry(const std::string& path, TarEntry::Type type, const std::string& link = "") {
  TarEntry e;
  e.path = path;
  e.type = type;
  e.link = link;
  return e;
}

TEST(MergedUsr, MovesMembersUnderMergedNamesIntoUsr) {
  for (const char* name : {"bin", "sbin", "lib", "lib32", "lib64", "libx32"}) {
    TarEntry e = entry(std::string(name) + "/x/y", TarEntry::Type::kFile);
    EXPECT_EQ(merge_usr(e), MergedUsrAction::kRewrite) << name;
    EXPECT_EQ(e.path, std::string("usr/") + name + "/x/y");
  }
}

TEST(MergedUsr, LeavesOtherPathsAlone) {
  for (const char* p : {"usr/bin/x", "binary", "libfoo/x", "etc/lib/x", "usr/lib"}) {
    TarEntry e = entry(p, TarEntry::Type::kFile);
    EXPECT_EQ(merge_usr(e), MergedUsrAction::kKeep) << p;
    EXPECT_EQ(e.path, p);
  }
}

TEST(MergedUsr, DropsTheTopDirectoriesAndKeepsTheLinks) {
  TarEntry dir = entry("lib", TarEntry::Type::kDirectory);
  EXPECT_EQ(merge_usr(dir), MergedUsrAction::kDrop);
  TarEntry link = entry("sbin", TarEntry::Type::kSymlink, "usr/sbin");
  EXPECT_EQ(merge_usr(link), MergedUsrAction::kKeep);
  EXPECT_NO_THROW(check_merged_usr(link, "base-files"));
}

TEST(MergedUsr, RewritesHardlinkTargetsButNotSymlinkTargets) {
  TarEntry hard = entry("usr/bin/b", TarEntry::Type::kHardlink, "bin/a");
  EXPECT_EQ(merge_usr(hard), MergedUsrAction::kRewrite);
  EXPECT_EQ(hard.link, "usr/bin/a");
  TarEntry sym = entry("lib/ld.so", TarEntry::Type::kSymlink, "/lib/x86_64-linux-gnu/ld.so");
  EXPECT_EQ(merge_usr(sym), MergedUsrAction::kRewrite);
  EXPECT_EQ(sym.path, "usr/lib/ld.so");
  EXPECT_EQ(sym.link, "/lib/x86_64-linux-gnu/ld.so");
}

TEST(MergedUsr, RefusesWhatWouldShadowALink) {
  EXPECT_EQ(error_of([] { check_merged_usr(entry("bin", TarEntry::Type::kFile), "app.yaml:3"); }),
            "app.yaml:3: /bin is a file, but in a merged-/usr image it must stay the symlink "
            "/bin -> usr/bin; put the content under /usr/bin instead");
  EXPECT_EQ(
      error_of([] {
        check_merged_usr(entry("lib", TarEntry::Type::kSymlink, "/usr/lib"), "package foo 1.0");
      }),
      "package foo 1.0: symlink /lib points to /usr/lib, but merged /usr needs exactly usr/lib");
  EXPECT_EQ(error_of([] { check_merged_usr(entry("lib64/x", TarEntry::Type::kFile), "layer"); }),
            "layer: /lib64/x lies under the merged-/usr symlink /lib64; use /usr/lib64/x instead");
}

TEST(MergedUsr, TargetsOfTheMergedNames) {
  EXPECT_EQ(merged_usr_target("lib64"), "usr/lib64");
  EXPECT_EQ(merged_usr_target("usr"), "");
  EXPECT_EQ(merged_usr_target("bin/x"), "");
}

}  // namespace
}  // namespace distill
