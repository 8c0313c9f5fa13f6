#include "sbom/purl.h"

namespace distill::sbom {

std::string purl_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string deb_purl(const DebPurl& p) {
  std::string out =
      "pkg:deb/" + purl_encode(p.vendor) + "/" + purl_encode(p.name) + "@" + purl_encode(p.version);
  char sep = '?';
  auto qualifier = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    out += sep;
    out += key;
    out += '=';
    out += purl_encode(value);
    sep = '&';
  };
  qualifier("arch", p.architecture);
  qualifier("distro", p.distro);
  std::string src = p.source.empty() ? p.name : p.source;
  std::string src_version = p.source_version.empty() ? p.version : p.source_version;
  if (src_version != p.version) {
    qualifier("upstream", src + "@" + src_version);
  } else if (src != p.name) {
    qualifier("upstream", src);
  }
  return out;
}

}  // namespace distill::sbom
