// Filesystem helpers: whole-file reads, atomic writes and output directories
// that appear complete or not at all.
#pragma once

#include <string>
#include <vector>

#include "util/io.h"

namespace distill {

std::string read_file(const std::string& path);
// Writes via a temporary file in the same directory, then renames.
void write_file_atomic(const std::string& path, const std::string& data);
bool path_exists(const std::string& path);
bool is_directory(const std::string& path);
void make_dirs(const std::string& path);
void remove_tree(const std::string& path);  // no error if absent
// fsync(2) of the directory `dir`, so that a rename into it survives a
// crash (the rename is a change of the directory, not of the file).
// Filesystems that cannot sync a directory (EINVAL) are not an error.
void sync_dir(const std::string& dir);

// Removes `<parent>/<prefix>XXXXXX` entries whose owner died (SIGKILL, power
// loss): a live owner holds flock(2) on its temp entry, a dead one cannot.
// Parent "" means $TMPDIR or /tmp, as for TempDir.
void remove_stale_temps(const std::string& parent, const std::string& prefix);

// A directory removed with everything in it when this object dies. It is
// flock'ed while this object lives, so remove_stale_temps() leaves it alone.
class TempDir {
 public:
  // Creates `<parent>/.<stem>.tmp-XXXXXX`, first removing stale ones of the
  // same stem; parent "" means $TMPDIR or /tmp.
  explicit TempDir(const std::string& parent = "", const std::string& stem = "distill");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Keeps the directory: the caller has renamed or adopted it. The lock is
  // held until destruction.
  void release() { path_.clear(); }

 private:
  std::string path_;
  Fd lock_;
};

// Writes an output (file or directory) so that a reader sees the old one or
// the new one, never a mix: the work happens in a temp path beside `target`
// and commit() renames it into place. A file is staged inside a locked temp
// directory, so a killed writer's leftovers are found and removed by the
// next writer of the same target.
class AtomicOutput {
 public:
  explicit AtomicOutput(const std::string& target, bool directory);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  const std::string& path() const { return temp_; }
  void commit();

 private:
  std::string target_;
  TempDir dir_;
  std::string temp_;
  bool directory_;
};

std::string join_path(const std::string& a, const std::string& b);
std::string parent_dir(const std::string& path);
std::string absolute_path(const std::string& path);
// The directory holding the running program (from /proc/self/exe, links
// resolved), or "" when the kernel does not say.
std::string executable_dir();

}  // namespace distill
