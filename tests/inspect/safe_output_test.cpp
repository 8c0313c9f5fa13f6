#include "inspect/safe_output.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include "util/fs.h"

namespace distill::inspect {
namespace {

void write_some(SafeOutputDir& out) {
  out.make_dir("etc");
  Fd f = out.create_file("etc/deep/passwd", 0644);
  ASSERT_EQ(::write(f.get(), "root\n", 5), 5);
  out.make_symlink("usr/bin/sh", "busybox");
  out.create_file("top", 0600);
}

TEST(SafeOutputDir, AFailedRunRemovesTheDirectoryItCreated) {
  TempDir tmp;
  std::string dir = tmp.path() + "/a/b/out";
  try {
    SafeOutputDir out(dir);
    write_some(out);
    throw std::runtime_error("layer ended early");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(path_exists(tmp.path() + "/a")) << "left " << tmp.path() << "/a behind";
}

TEST(SafeOutputDir, AFailedRunLeavesAnExistingDirectoryAsItWas) {
  TempDir tmp;
  std::string dir = tmp.path() + "/out";
  make_dirs(dir + "/etc");
  write_file_atomic(dir + "/etc/hostname", "mine\n");
  write_file_atomic(dir + "/notes", "mine\n");
  {
    SafeOutputDir out(dir);
    write_some(out);
    EXPECT_TRUE(path_exists(dir + "/etc/deep/passwd"));
  }
  EXPECT_EQ(read_file(dir + "/etc/hostname"), "mine\n");
  EXPECT_EQ(read_file(dir + "/notes"), "mine\n");
  EXPECT_FALSE(path_exists(dir + "/etc/deep"));
  EXPECT_FALSE(path_exists(dir + "/usr"));
  EXPECT_FALSE(path_exists(dir + "/top"));
}

TEST(SafeOutputDir, KeptOutputStays) {
  TempDir tmp;
  std::string dir = tmp.path() + "/out";
  {
    SafeOutputDir out(dir);
    write_some(out);
    out.keep();
  }
  EXPECT_EQ(read_file(dir + "/etc/deep/passwd"), "root\n");
  EXPECT_TRUE(path_exists(dir + "/top"));
}

}  // namespace
}  // namespace distill::inspect
