// Fact collectors: each reads the merged filesystem (and captured file
// contents) and returns one section of the inspect report as JSON, in the
// schema of docs/inspect-schema.md.
#pragma once

#include <nlohmann/json.hpp>

#include "inspect/merged_fs.h"

namespace distill::inspect {

nlohmann::json os_release_facts(const MergedFs& fs);  // object or null
nlohmann::json account_facts(const MergedFs& fs);     // {users, groups}
nlohmann::json skeleton_facts(const MergedFs& fs, const nlohmann::json& accounts);
nlohmann::json nsswitch_facts(const MergedFs& fs);   // object or null
nlohmann::json ca_bundle_facts(const MergedFs& fs);  // object or null
nlohmann::json timezone_facts(const MergedFs& fs);
nlohmann::json package_facts(const MergedFs& fs);  // array
nlohmann::json shared_library_facts(const MergedFs& fs, const nlohmann::json& packages);
nlohmann::json largest_facts(const MergedFs& fs, size_t limit);  // {files, directories}
nlohmann::json file_count_facts(const MergedFs& fs);
// Needs the sections above in `report` plus the image config.
nlohmann::json warning_facts(const MergedFs& fs, const nlohmann::json& report);

// "KEY=value" lines with optional quotes, as in os-release.
std::map<std::string, std::string> parse_os_release(const std::string& text);

}  // namespace distill::inspect
