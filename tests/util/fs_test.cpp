#include "util/fs.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "util/io.h"

namespace distill {

namespace {

void touch(const std::string& path, const std::string& data = "x") {
  FileSink s(path);
  s.write(data.data(), data.size());
  s.finish();
}

}  // namespace

TEST(TempDir, RemovesStaleSiblingsButNotLiveOnes) {
  TempDir root;
  // A dead process's leftovers: no lock held.
  std::string stale = join_path(root.path(), ".out.tmp-AAAAAA");
  make_dirs(join_path(stale, "blobs"));
  touch(join_path(stale, "blobs/partial"));
  std::string stale_file = join_path(root.path(), ".out.tmp-BBBBBB");
  touch(stale_file);
  // Not ours: other names, or a suffix mkdtemp would not make.
  std::string other = join_path(root.path(), ".other.tmp-CCCCCC");
  make_dirs(other);
  std::string longer = join_path(root.path(), ".out.tmp-DDDDDDD");
  make_dirs(longer);
  {
    TempDir live(root.path(), "out");  // cleans .out.tmp-XXXXXX
    EXPECT_FALSE(path_exists(stale));
    EXPECT_FALSE(path_exists(stale_file));
    EXPECT_TRUE(path_exists(other));
    EXPECT_TRUE(path_exists(longer));
    // A second writer of the same name leaves the live one alone.
    TempDir second(root.path(), "out");
    EXPECT_TRUE(is_directory(live.path()));
    EXPECT_NE(second.path(), live.path());
  }
}

TEST(TempDir, HeldLockProtectsAnEntry) {
  TempDir root;
  std::string held = join_path(root.path(), ".out.tmp-EEEEEE");
  make_dirs(held);
  Fd fd(::open(held.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(fd);
  ASSERT_EQ(::flock(fd.get(), LOCK_EX), 0);
  remove_stale_temps(root.path(), ".out.tmp-");
  EXPECT_TRUE(path_exists(held));
  fd = Fd();  // its owner "dies"
  remove_stale_temps(root.path(), ".out.tmp-");
  EXPECT_FALSE(path_exists(held));
}

TEST(AtomicOutput, FileCommitLeavesOnlyTheTarget) {
  TempDir root;
  std::string target = join_path(root.path(), "img.tar");
  {
    AtomicOutput out(target, false);
    touch(out.path(), "new");
    out.commit();
  }
  EXPECT_EQ(read_file(target), "new");
  {
    AtomicOutput out(target, false);
    touch(out.path(), "abandoned");
  }  // no commit: the old file stays
  EXPECT_EQ(read_file(target), "new");
  remove_stale_temps(root.path(), ".img.tar.tmp-");
  // Nothing but the target is left beside it.
  TempDir probe(root.path(), "probe");
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(root.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 2);  // img.tar and the probe
}

TEST(AtomicOutput, DirectoryCommitSwapsAndRemovesTheOld) {
  TempDir root;
  std::string target = join_path(root.path(), "layout");
  make_dirs(target);
  touch(join_path(target, "old"));
  {
    AtomicOutput out(target, true);
    touch(join_path(out.path(), "new"));
    out.commit();
  }
  EXPECT_TRUE(path_exists(join_path(target, "new")));
  EXPECT_FALSE(path_exists(join_path(target, "old")));
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(root.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

}  // namespace distill
