// What `distill build` checks on an image's merged tree before writing it:
// the config's user and group resolve, the program it starts exists and
// can run, and its working directory is a directory if it exists (a
// missing one is created by the runtime when the container starts). Each failure names the config
// field, so the caller can point at the definition line that set it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inspect/merged_fs.h"

namespace distill::inspect {

struct CheckFailure {
  std::string check;    // "user", "entrypoint" or "workdir": the switch that turns it off
  std::string field;    // "user", "entrypoint", "cmd" or "workdir" of the config
  std::string message;  // what is wrong, in one line
};

// Checks an inspect report (`config` and `accounts`, inspect/report.h) of
// the image whose merged tree is `fs`; empty when all pass.
std::vector<CheckFailure> image_checks(const MergedFs& fs, const nlohmann::json& report);

}  // namespace distill::inspect
