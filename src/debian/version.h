// Debian package version ordering, exactly as dpkg --compare-versions:
// [epoch:]upstream[-revision], '~' sorts before everything (even the end),
// letters before other characters, digit runs compare numerically.
#pragma once

#include <string>
#include <string_view>

namespace distill::debian {

// <0, 0 or >0. Does not validate; an unparsable epoch counts as 0.
int compare_versions(std::string_view a, std::string_view b);

// Why `version` is not a valid Debian version (dpkg's rules: non-empty, no
// whitespace, numeric epoch, upstream starting with a digit, allowed
// characters only, non-empty revision after '-'), or "" when it is valid.
// With strict=false, only what dpkg itself rejects is a problem: dpkg merely
// warns about a leading non-digit or an odd character, and such versions
// can appear in third-party archives.
std::string version_problem(std::string_view version, bool strict = true);
inline bool is_valid_version(std::string_view version) {
  return version_problem(version).empty();
}

// Throws Error("<what>: invalid version '<v>': <problem>") when not valid.
void check_version(std::string_view version, const std::string& what, bool strict = true);

}  // namespace distill::debian
