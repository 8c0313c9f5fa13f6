// --max-file-size, --max-layer-size and --max-image-size, shared by the
// commands that read archives (build, inspect, diff, extract).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "archive/size_limits.h"

namespace distill::cli {

struct LimitFlags {
  std::string file, layer, image;
};

// `image`: also offer --max-image-size (readers of whole images).
void add_limit_flags(CLI::App* cmd, LimitFlags& flags, bool image);
SizeLimits parse_limit_flags(const LimitFlags& flags);

}  // namespace distill::cli
