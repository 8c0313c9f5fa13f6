// One member of a tar stream, independent of libarchive.
#pragma once

#include <cstdint>
#include <string>

namespace distill {

struct TarEntry {
  enum class Type { kFile, kDirectory, kSymlink, kHardlink, kCharDevice, kBlockDevice, kFifo };

  std::string path;  // normalised: relative, no "./" prefix, no trailing "/"
  Type type = Type::kFile;
  uint32_t mode = 0644;  // permission bits including setuid, setgid and sticky
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string uname;
  std::string gname;
  int64_t mtime = 0;
  std::string link;   // symlink target, or hardlink target path (normalised)
  uint64_t size = 0;  // regular files only
  uint32_t dev_major = 0;
  uint32_t dev_minor = 0;
};

const char* type_name(TarEntry::Type t);

// Normalises a member path: strips "./" and leading "/", folds "//" and "."
// components, drops a trailing "/". Throws if a ".." component would climb
// out of the root or if the path is empty after normalisation.
std::string normalize_member_path(const std::string& raw);

// True if symlink `target`, placed at `link_path`, resolves inside the root
// without the help of other symlinks (lexically). Absolute targets count as
// relative to the image root, as they do inside a container.
bool symlink_stays_inside(const std::string& link_path, const std::string& target);

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or bytes > U+10FFFF).
bool is_utf8(const std::string& s);

// `s` with bytes that are not printable ASCII shown as \xNN (and '\' as
// \\), so a hostile name cannot garble a one-line error message.
std::string escape_name(const std::string& s);

}  // namespace distill
