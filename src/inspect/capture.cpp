#include "inspect/capture.h"

#include <cctype>

namespace distill::inspect {

namespace {

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

CaptureRule capture_rule(const std::string& path) {
  constexpr size_t kSmall = 4 << 20;
  constexpr size_t kLarge = 64 << 20;
  if (path == "etc/os-release" || path == "usr/lib/os-release" || path == "etc/passwd" ||
      path == "etc/group" || path == "etc/nsswitch.conf" || path == "etc/debian_version") {
    return {CaptureKind::kRaw, kSmall};
  }
  if (path == "etc/ssl/certs/ca-certificates.crt" || path == "etc/pki/tls/certs/ca-bundle.crt" ||
      path == "etc/ssl/cert.pem") {
    return {CaptureKind::kRaw, kLarge};
  }
  if (path == "var/lib/dpkg/status") return {CaptureKind::kRaw, kLarge};
  if (path.starts_with("var/lib/dpkg/status.d/") && path.find('/', 22) == std::string::npos &&
      !path.ends_with(".md5sums")) {
    return {CaptureKind::kRaw, kSmall};
  }
  if (path.starts_with("usr/share/doc/") && path.ends_with("/copyright")) {
    std::string mid = path.substr(14, path.size() - 14 - 10);
    if (!mid.empty() && mid.find('/') == std::string::npos) return {CaptureKind::kLicense, kLarge};
  }
  std::string base = base_name(path);
  if (base == "libc.so.6" || (base.starts_with("libc-") && base.ends_with(".so"))) {
    return {CaptureKind::kGlibcVersion, 0};
  }
  return {};
}

bool elf_candidate(const std::string& path, uint32_t mode) {
  if (mode & 0111) return true;
  std::string base = base_name(path);
  return base.find(".so") != std::string::npos;
}

void GlibcVersionFinder::feed(const char* data, size_t n) {
  if (!version_.empty()) return;
  static const std::string kBanner = "release version ";
  // Keep a short tail so a banner split across chunks is still found.
  std::string buf = tail_;
  buf.append(data, n);
  size_t at = buf.find(kBanner);
  if (at != std::string::npos) {
    size_t i = at + kBanner.size();
    size_t j = i;
    while (j < buf.size() && (std::isdigit(static_cast<unsigned char>(buf[j])) || buf[j] == '.'))
      ++j;
    if (j < buf.size()) {
      std::string v = buf.substr(i, j - i);
      while (!v.empty() && v.back() == '.') v.pop_back();
      if (!v.empty()) {
        version_ = v;
        return;
      }
    } else {
      tail_ = buf.substr(at);
      return;
    }
  }
  size_t keep = kBanner.size() + 16;
  tail_ = buf.size() > keep ? buf.substr(buf.size() - keep) : buf;
}

}  // namespace distill::inspect
