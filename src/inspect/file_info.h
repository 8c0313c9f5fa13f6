// Metadata of one path in an image, as a layer wrote it. Only metadata (and
// a content digest when asked for) is kept, so memory follows the number of
// files, not their size.
#pragma once

#include <cstdint>
#include <string>

#include "archive/tar_entry.h"

namespace distill::inspect {

struct FileInfo {
  enum class Whiteout : uint8_t { kNone, kFile, kOpaque };

  std::string path;  // normalised, relative to the root; "" is the root
  TarEntry::Type type = TarEntry::Type::kFile;
  uint32_t mode = 0;
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;  // regular files; 0 for hardlinks (the bytes are shared)
  std::string link;   // symlink target or hardlink target path
  int64_t mtime = 0;
  std::string digest;  // "sha256:..." of regular file content, when computed
  int layer = -1;      // index of the layer that last wrote it
  Whiteout whiteout = Whiteout::kNone;
  bool implied = false;  // a parent directory no layer listed explicitly
  bool elf = false;
  bool elf_interp = false;  // has PT_INTERP (a dynamically linked program)
  std::string interpreter;  // its PT_INTERP
  std::string shebang;      // a "#!" script's interpreter (first word after #!)
};

// The metadata of tar member `e` as layer `layer` wrote it; a whiteout
// member (.wh.NAME, .wh..wh..opq, as the OCI layer spec defines them)
// becomes the path it hides with `whiteout` set. Throws Error for a
// whiteout that names nothing ("." or "..").
FileInfo file_info_of(const TarEntry& e, int layer);

// "drwxr-xr-x"-style mode string.
std::string mode_string(const FileInfo& f);
// "0755"-style octal permission string.
std::string octal_mode(uint32_t mode);

}  // namespace distill::inspect
