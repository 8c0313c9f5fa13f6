// A set of files, directories and symlinks destined for one layer. Adding
// checks paths; writing emits entries in sorted order with every parent
// directory present, so the tar depends only on what was added.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "archive/tar_writer.h"

namespace distill {

class LayerPlan {
 public:
  struct Item {
    TarEntry entry;
    std::string data;                // inline content
    std::optional<std::string> src;  // or a host file, streamed at write time
    std::string where;               // origin, for duplicate-path messages
  };

  // `path` is absolute in the image ("/etc/passwd"). Throws on duplicates,
  // on ".." and on a path that is both a file and a parent of another.
  void add_file(const std::string& path, std::string data, uint32_t mode, uint32_t uid,
                uint32_t gid, const std::string& where);
  void add_host_file(const std::string& path, const std::string& src, uint32_t mode, uint32_t uid,
                     uint32_t gid, const std::string& where);
  void add_directory(const std::string& path, uint32_t mode, uint32_t uid, uint32_t gid,
                     const std::string& where);
  void add_symlink(const std::string& path, const std::string& target, uint32_t uid, uint32_t gid,
                   const std::string& where);
  bool contains(const std::string& path) const;
  // ("type /path", origin) for every item, in path order (for --explain).
  std::vector<std::pair<std::string, std::string>> describe() const;
  // "/path" of every item added, in path order (not the parents write adds).
  std::vector<std::string> paths() const;
  // (path, host source) of every file added with add_host_file, in path order.
  std::vector<std::pair<std::string, std::string>> host_files() const;
  bool empty() const { return items_.empty(); }

  // How write names the entries. The default is the one "generated" layer's
  // (names without "./", every parent present); the reference's per-file
  // layers use "./" names, and its nsswitch layer has no parent directory.
  struct Style {
    std::string prefix;   // put before every name ("./")
    bool parents = true;  // write the missing parents as 0755 root dirs
  };
  // Writes all entries with mtime `mtime`, named as `style` says.
  void write(TarWriter& tar, int64_t mtime, const Style& style) const;
  void write(TarWriter& tar, int64_t mtime) const { write(tar, mtime, Style{}); }

 private:
  void add(const std::string& path, Item item);
  std::map<std::string, Item> items_;  // key: normalised path
};

}  // namespace distill
