// WWW-Authenticate challenges (RFC 7235) as registries send them:
//   Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:pull"
//   Basic realm="Registry Realm"
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace distill::registry {

struct Challenge {
  std::string scheme;                         // lowercased: "basic", "bearer"
  std::map<std::string, std::string> params;  // keys lowercased, values unquoted
  std::string param(const std::string& key) const;
};

// Parses one header value, which may hold several challenges. Malformed
// input yields what could be read; it never throws.
std::vector<Challenge> parse_challenges(std::string_view header);

}  // namespace distill::registry
