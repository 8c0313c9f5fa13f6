#include "inspect/merged_fs.h"

#include <gtest/gtest.h>

namespace distill::inspect {
namespace {

using Type = TarEntry::Type;

FileInfo file(const std::string& path, uint64_t size = 1) {
  FileInfo f;
  f.path = path;
  f.type = Type::kFile;
  f.mode = 0644;
  f.size = size;
  return f;
}
FileInfo dir(const std::string& path) {
  FileInfo f;
  f.path = path;
  f.type = Type::kDirectory;
  f.mode = 0755;
  return f;
}
FileInfo link(const std::string& path, const std::string& target) {
  FileInfo f;
  f.path = path;
  f.type = Type::kSymlink;
  f.link = target;
  return f;
}
FileInfo whiteout(const std::string& path, FileInfo::Whiteout w = FileInfo::Whiteout::kFile) {
  FileInfo f;
  f.path = path;
  f.whiteout = w;
  return f;
}

LayerScan layer(int index, std::vector<FileInfo> files) {
  LayerScan s;
  s.index = index;
  for (auto& f : files) f.layer = index;
  s.files = std::move(files);
  return s;
}

TEST(MergedFs, WhiteoutRemovesFileAndSubtreeFromLowerLayers) {
  MergedFs fs;
  auto l0 = layer(0, {dir("a"), file("a/x", 10), dir("a/d"), file("a/d/y", 5), file("a/keep")});
  fs.apply(l0);
  auto l1 = layer(1, {whiteout("a/x"), whiteout("a/d")});
  LayerEffect e = fs.apply(l1);
  EXPECT_EQ(fs.find("a/x"), nullptr);
  EXPECT_EQ(fs.find("a/d"), nullptr);
  EXPECT_EQ(fs.find("a/d/y"), nullptr);
  ASSERT_NE(fs.find("a/keep"), nullptr);
  EXPECT_EQ(e.removed, 3u);
  EXPECT_EQ(e.removed_bytes, 15u);
}

TEST(MergedFs, OpaqueDirectoryHidesLowerChildrenButKeepsItsOwn) {
  MergedFs fs;
  auto l0 = layer(0, {dir("etc"), file("etc/old"), file("etc/sub/deep")});
  fs.apply(l0);
  // The new file comes before the opaque marker in the tar: it must survive.
  auto l1 = layer(1, {file("etc/new"), whiteout("etc", FileInfo::Whiteout::kOpaque)});
  fs.apply(l1);
  EXPECT_EQ(fs.find("etc/old"), nullptr);
  EXPECT_EQ(fs.find("etc/sub"), nullptr);
  ASSERT_NE(fs.find("etc/new"), nullptr);
  ASSERT_NE(fs.find("etc"), nullptr);
}

TEST(MergedFs, OverwriteRecordsLayerAndReplacedBytes) {
  MergedFs fs;
  auto l0 = layer(0, {file("f", 100)});
  fs.apply(l0);
  auto l1 = layer(1, {file("f", 7)});
  LayerEffect e = fs.apply(l1);
  EXPECT_EQ(fs.find("f")->layer, 1);
  EXPECT_EQ(fs.find("f")->size, 7u);
  EXPECT_EQ(e.replaced, 1u);
  EXPECT_EQ(e.replaced_bytes, 100u);
}

TEST(MergedFs, FileReplacingDirectoryDropsItsChildren) {
  MergedFs fs;
  auto l0 = layer(0, {dir("d"), file("d/x")});
  fs.apply(l0);
  auto l1 = layer(1, {file("d")});
  fs.apply(l1);
  EXPECT_EQ(fs.find("d")->type, Type::kFile);
  EXPECT_EQ(fs.find("d/x"), nullptr);
}

TEST(MergedFs, ImpliedParents) {
  MergedFs fs;
  auto l0 = layer(0, {file("usr/lib/x/libz.so")});
  fs.apply(l0);
  ASSERT_NE(fs.find("usr/lib"), nullptr);
  EXPECT_TRUE(fs.find("usr/lib")->implied);
  EXPECT_EQ(fs.find("usr/lib")->type, Type::kDirectory);
}

TEST(MergedFs, ResolveFollowsSymlinksInsideTheRoot) {
  MergedFs fs;
  auto l0 = layer(0, {dir("usr"), dir("usr/lib"), file("usr/lib/ld.so"), link("lib", "usr/lib"),
                      link("lib64", "/lib"), link("etc/loop", "loop"), link("up", "../../../usr")});
  fs.apply(l0);
  EXPECT_EQ(fs.resolve("lib64/ld.so").value(), "usr/lib/ld.so");
  EXPECT_EQ(fs.resolve("up/lib").value(), "usr/lib");  // ".." stops at the root
  EXPECT_EQ(fs.resolve("lib64", false).value(), "lib64");
  EXPECT_FALSE(fs.resolve("etc/loop").has_value());
  EXPECT_FALSE(fs.resolve("lib/missing").has_value());
}

TEST(MergedFs, ContentOnlyFromTheVisibleLayer) {
  MergedFs fs;
  auto l0 = layer(0, {file("etc/passwd")});
  l0.captures["etc/passwd"] = "old";
  fs.apply(l0);
  ASSERT_NE(fs.content("etc/passwd"), nullptr);
  EXPECT_EQ(*fs.content("etc/passwd"), "old");
  // A later layer replaces the file without a capture (e.g. too large):
  // the old content must not be reported as current.
  auto l1 = layer(1, {file("etc/passwd")});
  fs.apply(l1);
  EXPECT_EQ(fs.content("etc/passwd"), nullptr);
  auto l2 = layer(2, {whiteout("etc/passwd")});
  fs.apply(l2);
  EXPECT_EQ(fs.find("etc/passwd"), nullptr);
}

}  // namespace
}  // namespace distill::inspect
