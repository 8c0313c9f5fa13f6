#include "registry/url.h"

#include <cctype>

namespace distill::registry {

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string resolve_url(const std::string& base_url, const std::string& location) {
  if (location.find("://") != std::string::npos) return location;
  size_t scheme_end = base_url.find("://");
  size_t path_start =
      scheme_end == std::string::npos ? std::string::npos : base_url.find('/', scheme_end + 3);
  std::string origin = path_start == std::string::npos ? base_url : base_url.substr(0, path_start);
  if (!location.empty() && location[0] == '/') return origin + location;
  // Relative to the base's directory.
  std::string dir = base_url.substr(0, base_url.rfind('/') + 1);
  if (path_start == std::string::npos) dir = origin + "/";
  return dir + location;
}

std::string add_query(const std::string& url, const std::string& name, const std::string& value) {
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  return url + sep + name + "=" + url_encode(value);
}

}  // namespace distill::registry
