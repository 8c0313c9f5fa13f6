// Which file contents the scanner keeps while it streams a layer. Facts
// come from a handful of small files (os-release, passwd, dpkg status, CA
// bundle); copyright files are reduced to their license names on the fly and
// libc to its version string, so nothing large is held.
#pragma once

#include <cstddef>
#include <string>

namespace distill::inspect {

enum class CaptureKind { kNone, kRaw, kLicense, kGlibcVersion };

struct CaptureRule {
  CaptureKind kind = CaptureKind::kNone;
  size_t max_bytes = 0;  // raw captures larger than this are dropped
};

CaptureRule capture_rule(const std::string& path);

// Files this large are not worth a look for ELF headers.
inline constexpr size_t kElfPrefixBytes = 8192;
// Candidates for an ELF check: executable bits or a shared-library name.
bool elf_candidate(const std::string& path, uint32_t mode);

// Finds "release version X.Y" (glibc's banner) in a stream of chunks.
class GlibcVersionFinder {
 public:
  void feed(const char* data, size_t n);
  const std::string& version() const { return version_; }

 private:
  std::string tail_;
  std::string version_;
};

}  // namespace distill::inspect
