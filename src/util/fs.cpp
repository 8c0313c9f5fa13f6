#include "util/fs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "util/error.h"
#include "util/io.h"

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

void remove_tree(const std::string& path) {
  std::error_code ec;
  stdfs::remove_all(path, ec);
}

TempDir::TempDir(const std::string& parent, const std::string& stem) {
  std::string base = parent;
  if (base.empty()) {
    const char* t = ::getenv("TMPDIR");
    base = t && *t ? t : "/tmp";
  }
  std::string tmpl = join_path(base, "." + stem + ".tmp-XXXXXX");
  if (!::mkdtemp(tmpl.data())) throw_errno("cannot create temporary directory in", base);
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (!path_.empty()) remove_tree(path_);
}

AtomicOutput::AtomicOutput(const std::string& target, bool directory)
    : target_(target), directory_(directory) {
  std::string parent = parent_dir(absolute_path(target));
  std::string name = stdfs::path(target).filename().string();
  if (name.empty() || name == "." || name == "..") throw Error("bad output path '" + target + "'");
  make_dirs(parent);
  std::string tmpl = join_path(parent, "." + name + ".tmp-XXXXXX");
  if (directory) {
    if (!::mkdtemp(tmpl.data())) throw_errno("cannot create temporary directory beside", target);
  } else {
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw_errno("cannot create temporary file beside", target);
    ::close(fd);
    ::unlink(tmpl.c_str());  // FileSink creates it exclusively
  }
  temp_ = tmpl;
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) remove_tree(temp_);
}

void AtomicOutput::commit() {
  if (directory_ && is_directory(target_)) {
    // rename(2) cannot replace a non-empty directory; swap via renameat2.
    if (::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) != 0) {
      throw_errno("cannot replace", target_);
    }
    committed_ = true;
    remove_tree(temp_);  // now holds the old output
    return;
  }
  if (::rename(temp_.c_str(), target_.c_str()) != 0)
    throw_errno("cannot rename output to", target_);
  committed_ = true;
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

}  // namespace distill
