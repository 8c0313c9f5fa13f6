// A rename is durable only once the directory holding the new name is
// synced. These tests watch the system calls themselves: each writer runs
// once on its own (a test of its result), and once again in a child of
// this test binary under strace, whose log must show the rename into the
// directory followed by an fsync of that very directory.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "debian/cache.h"
#include "util/fs.h"
#include "util/io.h"
#include "util/process.h"
#include "util/sha256.h"

namespace distill {
namespace {

// The directory a writer test writes into: the tracing parent's, or a
// fresh one when the test runs on its own.
class WriterDir {
 public:
  WriterDir() {
    const char* given = std::getenv("DISTILL_DURABLE_DIR");
    path_ = given && *given ? given : tmp_.path();
  }
  const std::string& path() const { return path_; }

 private:
  TempDir tmp_;
  std::string path_;
};

// Runs `test` of this binary under strace with its writer directory set to
// a fresh `dir`; returns strace's log of renames and fsyncs (-y shows the
// path behind each fd), or "" when strace is not installed.
std::string trace(const std::string& test, const std::string& dir) {
  std::string strace = find_program("strace");
  if (strace.empty()) return "";
  std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  std::string log = dir + ".strace";
  ::setenv("DISTILL_DURABLE_DIR", dir.c_str(), 1);
  // LeakSanitizer cannot run under ptrace; the traced child only needs its
  // syscalls seen (ASan's other checks stay on).
  const char* asan = std::getenv("ASAN_OPTIONS");
  std::string saved = asan ? asan : "";
  ::setenv("ASAN_OPTIONS",
           (saved.empty() ? std::string("detect_leaks=0") : saved + ":detect_leaks=0").c_str(), 1);
  ProcessResult r = run_process({strace, "-f", "-qq", "-y", "-e", "trace=rename,renameat2,fsync",
                                 "-o", log, self, "--gtest_filter=" + test});
  ::unsetenv("DISTILL_DURABLE_DIR");
  if (asan) {
    ::setenv("ASAN_OPTIONS", saved.c_str(), 1);
  } else {
    ::unsetenv("ASAN_OPTIONS");
  }
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return read_file(log);
}

// True when `log` renames something to `target` and afterwards syncs the
// directory `dir` (both canonical paths).
bool renamed_then_synced(const std::string& log, const std::string& target,
                         const std::string& dir) {
  size_t at = log.find("\"" + target + "\"");
  if (at == std::string::npos) return false;
  std::istringstream rest(log.substr(at));
  for (std::string line; std::getline(rest, line);) {
    if (line.find(" fsync(") != std::string::npos &&
        line.find("<" + dir + ">) = 0") != std::string::npos)
      return true;
  }
  return false;
}

TEST(DurableWriter, WriteFileAtomic) {
  WriterDir d;
  make_dirs(d.path() + "/out");
  write_file_atomic(d.path() + "/out/index.json", "{}\n");
  EXPECT_EQ(read_file(d.path() + "/out/index.json"), "{}\n");
}

TEST(DurableWriter, CacheAdoptBlob) {
  WriterDir d;
  debian::Cache cache(d.path() + "/cache");
  std::string temp = cache.temp_path("blob");
  write_file_atomic(temp, "package bytes");
  std::string hex = sha256_hex("package bytes");
  std::string blob = cache.adopt_blob(temp, hex, 13, "test.deb");
  EXPECT_EQ(read_file(blob), "package bytes");
}

TEST(DurableRename, AtomicOutputSyncsTheTargetsDirectory) {
  TempDir tmp;
  std::string dir = std::filesystem::canonical(tmp.path()).string() + "/w";
  make_dirs(dir);
  std::string log = trace("DurableWriter.WriteFileAtomic", dir);
  if (log.empty()) GTEST_SKIP() << "strace is not installed";
  EXPECT_TRUE(renamed_then_synced(log, dir + "/out/index.json", dir + "/out")) << log;
}

TEST(DurableRename, CacheSyncsTheBlobDirectoryAfterAdopting) {
  TempDir tmp;
  std::string dir = std::filesystem::canonical(tmp.path()).string() + "/w";
  make_dirs(dir);
  std::string log = trace("DurableWriter.CacheAdoptBlob", dir);
  if (log.empty()) GTEST_SKIP() << "strace is not installed";
  debian::Cache cache(dir + "/cache");
  std::string blob = cache.blob_path(sha256_hex("package bytes"));
  EXPECT_TRUE(renamed_then_synced(log, blob, parent_dir(blob))) << log;
}

}  // namespace
}  // namespace distill
