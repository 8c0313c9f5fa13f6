#include "inspect/file_info.h"

#include "util/error.h"

#include <cstdio>

namespace distill::inspect {

std::string mode_string(const FileInfo& f) {
  char t = '-';
  switch (f.type) {
    case TarEntry::Type::kDirectory:
      t = 'd';
      break;
    case TarEntry::Type::kSymlink:
      t = 'l';
      break;
    case TarEntry::Type::kCharDevice:
      t = 'c';
      break;
    case TarEntry::Type::kBlockDevice:
      t = 'b';
      break;
    case TarEntry::Type::kFifo:
      t = 'p';
      break;
    case TarEntry::Type::kHardlink:
      t = 'h';
      break;
    case TarEntry::Type::kFile:
      break;
  }
  std::string s(10, '-');
  s[0] = t;
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) {
    if (f.mode & (1u << (8 - i))) s[1 + i] = rwx[i];
  }
  if (f.mode & 04000) s[3] = (f.mode & 0100) ? 's' : 'S';
  if (f.mode & 02000) s[6] = (f.mode & 010) ? 's' : 'S';
  if (f.mode & 01000) s[9] = (f.mode & 01) ? 't' : 'T';
  return s;
}

std::string octal_mode(uint32_t mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

FileInfo file_info_of(const TarEntry& e, int layer) {
  FileInfo f;
  f.path = e.path;
  f.type = e.type;
  f.mode = e.mode;
  f.uid = e.uid;
  f.gid = e.gid;
  f.link = e.link;
  f.mtime = e.mtime;
  f.layer = layer;
  size_t slash = f.path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : f.path.substr(0, slash);
  std::string base = slash == std::string::npos ? f.path : f.path.substr(slash + 1);
  if (base.rfind(".wh.", 0) != 0) return f;
  if (base == ".wh..wh..opq") {
    f.whiteout = FileInfo::Whiteout::kOpaque;
    f.path = dir;
  } else {
    f.whiteout = FileInfo::Whiteout::kFile;
    std::string name = base.substr(4);
    if (name.empty() || name == "." || name == "..") throw Error("bad whiteout entry " + f.path);
    f.path = dir.empty() ? name : dir + "/" + name;
  }
  return f;
}

}  // namespace distill::inspect
