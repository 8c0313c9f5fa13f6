// License names from a Debian copyright file. Machine-readable (DEP-5)
// files give short names in their "License:" fields; older free-form files
// usually point at /usr/share/common-licenses/NAME, which we take instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace distill::inspect {

// Distinct names in order of first appearance, e.g. {"GPL-2+", "LGPL-2.1+"}.
// Expressions "A or B" / "A and B" are split into their names.
std::vector<std::string> copyright_licenses(std::string_view text);

std::string join_licenses(const std::vector<std::string>& names);  // "\n"-separated
std::vector<std::string> split_licenses(const std::string& joined);

}  // namespace distill::inspect
