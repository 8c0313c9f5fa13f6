// A read-only view of an image's root filesystem: paths, types, symlink
// targets and random access to file bytes. It lets ldconfig's scan run on the
// merged contents of layers (or on a directory on disk) without unpacking,
// and it resolves symlinks inside the root, as ldconfig does after chroot(2).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "elf/elf_reader.h"

namespace distill::elf {

class RootTree {
 public:
  enum class Type { kFile, kDirectory, kSymlink, kOther };
  struct Node {
    Type type = Type::kDirectory;
    std::string target;  // symlinks: the target as stored
    uint64_t size = 0;   // files
    ReadAt read;         // files: reads bytes at an offset
  };

  // Paths are absolute or relative to the root ("usr/lib/x" == "/usr/lib/x").
  // As when a tar is extracted over the tree, a parent that is a symlink to a
  // directory is followed and missing parents are created; a later add() of
  // the same path replaces the earlier node, as a later layer does. Whiteouts
  // and deletions are the caller's: add the merged result.
  void add_file(std::string_view path, uint64_t size, ReadAt read);
  void add_directory(std::string_view path);
  void add_symlink(std::string_view path, std::string target);
  void add_other(std::string_view path);  // devices, fifos: listed, never read

  // Walks a directory on disk (not following symlinks) into a tree whose
  // files are read lazily from disk. Throws distill::Error on I/O errors.
  static RootTree from_directory(const std::string& dir);

  // The node at the normalised `path`, without following symlinks.
  const Node* find(std::string_view path) const;
  // Follows symlinks inside the root (an absolute target starts again at the
  // root, ".." stops at it) and returns the canonical path ("/" for the
  // root), or nullopt when a component is missing or links loop.
  std::optional<std::string> resolve(std::string_view path) const;
  // The names inside the directory at canonical path `dir`, sorted.
  std::vector<std::string> list(const std::string& dir) const;
  // Whole contents of the file at canonical path `path` (up to `max` bytes).
  std::string read_all(const std::string& path, size_t max) const;

  // "/a//b/./c/" -> "/a/b/c"; ".." is kept (only resolve() knows where a
  // ".." leads when symlinks are involved).
  static std::string normalize(std::string_view path);

 private:
  void put(std::string_view path, Node node);
  std::string ensure_directory(const std::string& path);  // returns its canonical path
  std::map<std::string, Node> nodes_;
  std::map<std::string, std::set<std::string>> children_;
};

}  // namespace distill::elf
