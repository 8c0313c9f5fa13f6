#include "archive/tar_entry.h"

#include <vector>

#include "util/error.h"

namespace distill {

const char* type_name(TarEntry::Type t) {
  switch (t) {
    case TarEntry::Type::kFile:
      return "file";
    case TarEntry::Type::kDirectory:
      return "directory";
    case TarEntry::Type::kSymlink:
      return "symlink";
    case TarEntry::Type::kHardlink:
      return "hardlink";
    case TarEntry::Type::kCharDevice:
      return "char device";
    case TarEntry::Type::kBlockDevice:
      return "block device";
    case TarEntry::Type::kFifo:
      return "fifo";
  }
  return "unknown";
}

namespace {

// Splits on '/', resolving "." and ".."; returns false if ".." escapes.
bool fold(const std::string& path, std::vector<std::string>& parts) {
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string c = path.substr(i, j - i);
    if (c == "..") {
      if (parts.empty()) return false;
      parts.pop_back();
    } else if (!c.empty() && c != ".") {
      parts.push_back(std::move(c));
    }
    i = j + 1;
  }
  return true;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

}  // namespace

std::string normalize_member_path(const std::string& raw) {
  if (raw.find('\0') != std::string::npos) throw Error("path contains a NUL byte");
  std::vector<std::string> parts;
  // Any ".." is refused, even one that folds back inside: such names only
  // appear in crafted archives and are a classic traversal vector.
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string::npos) j = raw.size();
    if (raw.compare(i, j - i, "..") == 0 && j - i == 2) {
      throw Error("path '" + raw + "' contains '..'");
    }
    i = j + 1;
  }
  fold(raw, parts);
  if (parts.empty()) return "";
  return joined(parts);
}

bool symlink_stays_inside(const std::string& link_path, const std::string& target) {
  std::vector<std::string> parts;
  if (target.empty()) return false;
  if (target[0] != '/') {
    if (!fold(link_path, parts)) return false;
    if (!parts.empty()) parts.pop_back();  // the link's own name
  }
  return fold(target, parts);
}

}  // namespace distill
