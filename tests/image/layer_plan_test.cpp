#include "image/layer_plan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>

#include "archive/tar_reader.h"
#include "error_of.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

std::string write_plan(const LayerPlan& plan, int64_t mtime = 42) {
  StringSink sink;
  TarWriter tar(sink);
  plan.write(tar, mtime);
  tar.finish();
  return sink.data();
}

std::vector<TarEntry> entries_of(const std::string& tar) {
  TarReader r(std::make_unique<StringSource>(tar), "plan");
  std::vector<TarEntry> out;
  TarEntry e;
  while (r.next(e)) out.push_back(e);
  return out;
}

std::vector<std::string> paths_of(const std::string& tar) {
  std::vector<std::string> out;
  for (auto& e : entries_of(tar)) out.push_back(e.path);
  return out;
}

}  // namespace

TEST(LayerPlan, ParentsAreAddedAndSortedByComponent) {
  LayerPlan plan;
  plan.add_file("/usr/lib/a-b", "x", 0644, 0, 0, "t:1");
  plan.add_file("/usr/lib/a/z", "y", 0644, 0, 0, "t:2");
  plan.add_symlink("/bin", "usr/bin", 0, 0, "t:3");
  plan.add_directory("/tmp", 01777, 0, 0, "t:4");
  plan.add_file("/usr/bin/app", "z", 0755, 0, 0, "t:5");
  auto paths = paths_of(write_plan(plan));
  // "usr/lib/a" and its child come before "usr/lib/a-b" ('/' sorts first).
  EXPECT_EQ(paths,
            (std::vector<std::string>{"bin", "tmp", "usr", "usr/bin", "usr/bin/app", "usr/lib",
                                      "usr/lib/a", "usr/lib/a/z", "usr/lib/a-b"}));
}

TEST(LayerPlan, ImpliedParentsAreRootDirectories) {
  LayerPlan plan;
  plan.add_file("/home/nonroot/.profile", "x", 0600, 65532, 65532, "t:1");
  auto entries = entries_of(write_plan(plan, 1234));
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].path, "home");
  EXPECT_EQ(entries[0].type, TarEntry::Type::kDirectory);
  EXPECT_EQ(entries[0].mode, 0755u);
  EXPECT_EQ(entries[0].uid, 0u);
  EXPECT_EQ(entries[0].uname, "root");
  EXPECT_EQ(entries[0].mtime, 1234);
  EXPECT_EQ(entries[2].uid, 65532u);
  EXPECT_EQ(entries[2].mode, 0600u);
  EXPECT_EQ(entries[2].mtime, 1234);
}

TEST(LayerPlan, ExplicitDirectoryWinsOverImplied) {
  LayerPlan plan;
  plan.add_file("/home/nonroot/x", "x", 0644, 0, 0, "t:1");
  plan.add_directory("/home/nonroot", 0700, 65532, 65532, "t:2");
  auto entries = entries_of(write_plan(plan));
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[1].path, "home/nonroot");
  EXPECT_EQ(entries[1].mode, 0700u);
  EXPECT_EQ(entries[1].uid, 65532u);
}

TEST(LayerPlan, OrderOfAddsDoesNotMatter) {
  LayerPlan a, b;
  a.add_file("/etc/passwd", "p", 0644, 0, 0, "a");
  a.add_symlink("/bin", "usr/bin", 0, 0, "a");
  a.add_directory("/tmp", 01777, 0, 0, "a");
  b.add_directory("/tmp", 01777, 0, 0, "b");
  b.add_symlink("/bin", "usr/bin", 0, 0, "b");
  b.add_file("/etc/passwd", "p", 0644, 0, 0, "b");
  EXPECT_EQ(write_plan(a), write_plan(b));
  EXPECT_NE(write_plan(a, 1), write_plan(a, 2));
}

TEST(LayerPlan, DuplicatePathNamesBothPlaces) {
  LayerPlan plan;
  plan.add_file("/etc/x", "1", 0644, 0, 0, "def.yaml:3");
  std::string msg = error_of([&] { plan.add_directory("/etc/x/", 0755, 0, 0, "def.yaml:9"); });
  EXPECT_EQ(msg.rfind("def.yaml:9: duplicate path", 0), 0u) << msg;
  EXPECT_NE(msg.find("def.yaml:3"), std::string::npos) << msg;
  EXPECT_THROW(plan.add_symlink("/etc//x", "y", 0, 0, "w"), Error);
}

TEST(LayerPlan, FileCannotBeAParent) {
  LayerPlan plan;
  plan.add_file("/etc/x", "1", 0644, 0, 0, "a:1");
  std::string msg = error_of([&] { plan.add_file("/etc/x/y", "2", 0644, 0, 0, "a:2"); });
  EXPECT_NE(msg.find("a:2"), std::string::npos) << msg;
  EXPECT_FALSE(plan.contains("/etc/x/y"));
  // And the other way round: a file where a directory's children already are.
  plan.add_file("/opt/d/f", "1", 0644, 0, 0, "a:3");
  msg = error_of([&] { plan.add_symlink("/opt/d", "elsewhere", 0, 0, "a:4"); });
  EXPECT_NE(msg.find("a:3"), std::string::npos) << msg;
  EXPECT_FALSE(plan.contains("/opt/d"));
  // A symlink as a parent is refused too (its target is not ours to fill).
  plan.add_symlink("/lib", "usr/lib", 0, 0, "a:5");
  EXPECT_THROW(plan.add_file("/lib/x", "1", 0644, 0, 0, "a:6"), Error);
}

TEST(LayerPlan, EscapingAndRootPathsAreRefused) {
  LayerPlan plan;
  EXPECT_NE(error_of([&] { plan.add_file("/../x", "1", 0644, 0, 0, "d.yaml:2"); }).find("d.yaml:2"),
            std::string::npos);
  EXPECT_THROW(plan.add_file("../x", "1", 0644, 0, 0, "w"), Error);
  EXPECT_THROW(plan.add_directory("/", 0755, 0, 0, "w"), Error);
  EXPECT_TRUE(plan.empty());
}

TEST(LayerPlan, HostFiles) {
  TempDir tmp;
  std::string src = join_path(tmp.path(), "prog");
  write_file_atomic(src, "#!/bin/true\n");
  LayerPlan plan;
  plan.add_host_file("/usr/bin/prog", src, 0755, 0, 0, "d:1");
  auto tar = write_plan(plan);
  TarReader r(std::make_unique<StringSource>(tar), "plan");
  TarEntry e;
  while (r.next(e) && e.path != "usr/bin/prog") {
  }
  EXPECT_EQ(e.path, "usr/bin/prog");
  EXPECT_EQ(r.read_all_data(), "#!/bin/true\n");
  std::string msg = error_of(
      [&] { plan.add_host_file("/x", join_path(tmp.path(), "missing"), 0644, 0, 0, "d:7"); });
  EXPECT_EQ(msg.rfind("d:7: source file", 0), 0u) << msg;
  EXPECT_THROW(plan.add_host_file("/y", tmp.path(), 0644, 0, 0, "d:8"), Error);  // a directory
}

TEST(LayerPlan, HostFileChangingSizeIsAnError) {
  TempDir tmp;
  std::string src = join_path(tmp.path(), "f");
  write_file_atomic(src, "short");
  LayerPlan plan;
  plan.add_host_file("/f", src, 0644, 0, 0, "d:1");
  ::unlink(src.c_str());
  write_file_atomic(src, "much longer now");
  EXPECT_THROW(write_plan(plan), Error);
}

}  // namespace distill
