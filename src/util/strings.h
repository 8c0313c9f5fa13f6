// Small ASCII string helpers shared by every area, so each exists once.
// None of them depends on the locale. (Prefix and suffix tests are the
// standard std::string{,_view}::starts_with/ends_with.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace distill {

// ASCII whitespace (as std::isspace in the C locale) removed from both ends.
// The result views the argument's characters.
std::string_view trim(std::string_view s);

// `s` without its trailing '/'s, keeping one character: "http://h/debian/"
// -> "http://h/debian", "/" -> "/". For URIs joined with "/" + path.
std::string strip_trailing_slashes(std::string s);

// `s` with ASCII letters lower-cased; other bytes unchanged.
std::string lower(std::string_view s);

// Equal ignoring ASCII case (HTTP header and Deb822 field names).
bool iequals(std::string_view a, std::string_view b);

// `s` begins with `prefix`, ignoring ASCII case.
bool istarts_with(std::string_view s, std::string_view prefix);

// Every field between `sep`s, empty ones included: "a::b" -> {"a", "", "b"};
// "" -> {""}. For records whose field positions matter (/etc/passwd).
std::vector<std::string> split(std::string_view s, char sep);

// A user-written list ("amd64, arm64", "a.gpg,b.gpg"): the items between
// `sep`s with surrounding whitespace trimmed, empty items dropped.
std::vector<std::string> split_list(std::string_view s, char sep = ',');

}  // namespace distill
