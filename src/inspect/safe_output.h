// Writes files below one output directory and nowhere else. Every path is
// walked component by component from the directory's fd with O_NOFOLLOW, so
// a symlink already in the output (or written earlier by a hostile image)
// is never followed. Until keep() is called, the object is a transaction:
// destroying it (an error unwinding) removes everything it created, so a
// failed run leaves the output directory as it found it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/io.h"

namespace distill::inspect {

class SafeOutputDir {
 public:
  // Creates `dir` (and missing parents) if needed.
  explicit SafeOutputDir(const std::string& dir);
  // Without keep(), removes what this object created: the files, symlinks
  // and directories, in reverse order, then `dir` itself if it was created.
  ~SafeOutputDir();
  SafeOutputDir(const SafeOutputDir&) = delete;
  SafeOutputDir& operator=(const SafeOutputDir&) = delete;

  // The run succeeded: what was written stays.
  void keep() { kept_ = true; }

  // `rel` is a normalised relative path ("a/b/c"). Parents are created as
  // directories (mode 0755); an existing non-directory parent is an Error.
  void make_dir(const std::string& rel);
  // Fails if it exists, unless `replace` (a file this run wrote already).
  Fd create_file(const std::string& rel, uint32_t mode, bool replace = false);
  void make_symlink(const std::string& rel, const std::string& target);
  // Sets permission bits (and the mtime) without following a final symlink.
  void set_mode(const std::string& rel, uint32_t mode);
  void set_mtime(const std::string& rel, int64_t mtime);
  const std::string& path() const { return dir_; }

 private:
  // Opens the parent directory of `rel`, creating it; returns the last name.
  Fd open_parent(const std::string& rel, std::string& name);
  // Removes what created_ lists; errors are ignored (best effort on unwind).
  void remove_created() noexcept;

  struct Created {
    std::string rel;
    bool directory;
  };
  std::string dir_;
  Fd root_;
  std::vector<Created> created_;       // in creation order
  std::vector<std::string> new_dirs_;  // `dir` and the parents it needed, deepest first
  bool kept_ = false;
};

}  // namespace distill::inspect
