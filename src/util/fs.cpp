#include "util/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "util/error.h"
#include "util/handles.h"
#include "util/interrupt.h"
#include "util/io.h"
#include "util/umask.h"

namespace distill {

namespace stdfs = std::filesystem;

std::string read_file(const std::string& path) {
  FileSource in(path);
  return read_all(in);
}

void write_file_atomic(const std::string& path, const std::string& data) {
  AtomicOutput out(path, false);
  FileSink sink(out.path());
  sink.write(data.data(), data.size());
  sink.finish();
  out.commit();
}

bool path_exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void make_dirs(const std::string& path) {
  std::error_code ec;
  stdfs::create_directories(path, ec);
  if (ec) throw Error("cannot create directory " + path + ": " + ec.message());
}

void sync_dir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_errno("cannot open directory", dir);
  if (::fsync(fd.get()) != 0 && errno != EINVAL) throw_errno("cannot sync directory", dir);
}

void remove_tree(const std::string& path) {
  std::error_code ec;
  stdfs::remove_all(path, ec);
}

namespace {

constexpr int kTempSuffix = 6;  // the XXXXXX of mkdtemp

std::string temp_base(const std::string& parent) {
  if (!parent.empty()) return parent;
  const char* t = ::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

// Locks a directory mkdtemp just made. A concurrent remove_stale_temps() may
// have taken it in the instant before the lock; then the path is gone or is
// another inode, and the caller makes a new one.
Fd lock_fresh_dir(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return fd;
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) throw_errno("cannot lock", path);
  }
  struct stat by_fd, by_path;
  if (::fstat(fd.get(), &by_fd) != 0 || ::stat(path.c_str(), &by_path) != 0 ||
      by_fd.st_ino != by_path.st_ino || by_fd.st_dev != by_path.st_dev) {
    return Fd();
  }
  return fd;
}

}  // namespace

void remove_stale_temps(const std::string& parent_or_empty, const std::string& prefix) {
  std::string parent = temp_base(parent_or_empty);
  std::vector<std::string> names;
  {
    DirPtr d = open_dir(parent);
    if (!d) return;
    while (dirent* ent = ::readdir(d.get())) {
      std::string n = ent->d_name;
      if (n.size() == prefix.size() + kTempSuffix && n.starts_with(prefix)) names.push_back(n);
    }
  }
  for (const auto& n : names) {
    std::string p = join_path(parent, n);
    Fd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd || ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) continue;  // gone, or its owner lives
    remove_tree(p);
  }
}

TempDir::TempDir(const std::string& parent, const std::string& stem) {
  std::string base = temp_base(parent);
  std::string prefix = "." + stem + ".tmp-";
  remove_stale_temps(base, prefix);
  for (int attempt = 0; attempt < 100 && !lock_; ++attempt) {
    std::string tmpl = join_path(base, prefix + "XXXXXX");
    if (!::mkdtemp(tmpl.data())) throw_errno("cannot create temporary directory in", base);
    lock_ = lock_fresh_dir(tmpl);
    if (lock_) path_ = tmpl;
  }
  // Keyed by the lock's fd: release() clears path_, the fd lives until ~TempDir.
  if (lock_) remove_on_interrupt(lock_.get(), path_);
  if (!lock_) throw Error("cannot create and lock a temporary directory in " + base);
}

TempDir::~TempDir() {
  if (!path_.empty()) remove_tree(path_);
  forget_on_interrupt(lock_.get());
}

namespace {

std::string output_name(const std::string& target) {
  std::string name = stdfs::path(target).filename().string();
  if (name.empty() || name == "." || name == "..") throw Error("bad output path '" + target + "'");
  return name;
}

std::string output_parent(const std::string& target) {
  std::string parent = parent_dir(absolute_path(target));
  make_dirs(parent);
  return parent;
}

}  // namespace

AtomicOutput::AtomicOutput(const std::string& target, bool directory)
    : target_(target),
      dir_(output_parent(target), output_name(target)),
      // FileSink creates the file exclusively inside the locked directory.
      temp_(directory ? dir_.path() : join_path(dir_.path(), output_name(target))),
      directory_(directory) {}

// dir_ removes whatever is left: an uncommitted output, the emptied staging
// directory of a file, or the old output swapped out by commit().
AtomicOutput::~AtomicOutput() = default;

void AtomicOutput::commit() {
  // A directory output comes from mkdtemp (0700); give it mkdir's mode.
  if (directory_ && ::chmod(temp_.c_str(), 0777 & ~current_umask()) != 0)
    throw_errno("cannot chmod", temp_);
  if (directory_ && is_directory(target_)) {
    // rename(2) cannot replace a non-empty directory; swap via renameat2.
    if (::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) != 0) {
      throw_errno("cannot replace", target_);
    }
  } else {
    if (::rename(temp_.c_str(), target_.c_str()) != 0)
      throw_errno("cannot rename output to", target_);
    if (directory_) dir_.release();
  }
  sync_dir(parent_dir(absolute_path(target_)));
}

std::string join_path(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (a.back() == '/') return a + b;
  return a + "/" + b;
}

std::string parent_dir(const std::string& path) {
  auto p = stdfs::path(path).parent_path().string();
  return p.empty() ? "." : p;
}

std::string absolute_path(const std::string& path) {
  return stdfs::absolute(stdfs::path(path)).lexically_normal().string();
}

std::string executable_dir() {
  std::error_code ec;
  stdfs::path exe = stdfs::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return "";
  return exe.parent_path().string();
}

}  // namespace distill
