// URL pieces the distribution API needs: query encoding and the upload
// Location header, which may be relative to the registry.
#pragma once

#include <string>
#include <string_view>

namespace distill::registry {

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view s);
// Resolves `location` (absolute URL, absolute path or relative) against `base_url`.
std::string resolve_url(const std::string& base_url, const std::string& location);
// Appends "name=value" (value encoded) with '?' or '&' as needed.
std::string add_query(const std::string& url, const std::string& name, const std::string& value);

}  // namespace distill::registry
