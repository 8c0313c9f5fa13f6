#pragma once

#include <string_view>

namespace distill {

// ASCII whitespace (as std::isspace in the C locale) removed from both ends.
// The result views the argument's characters.
std::string_view trim(std::string_view s);

}  // namespace distill
