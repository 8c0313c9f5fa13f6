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
      throw Error("path '" + escape_name(raw) + "' contains '..'");
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

bool is_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string escape_name(const std::string& s) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7F) {
      out += ch;
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace distill
