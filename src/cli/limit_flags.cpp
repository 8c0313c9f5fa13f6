#include "cli/limit_flags.h"

#include "cli/flag_checks.h"

namespace distill::cli {

void add_limit_flags(CLI::App* cmd, LimitFlags& flags, bool image) {
  SizeLimits d;
  cmd->add_option("--max-file-size", flags.file,
                  "Largest uncompressed file accepted, e.g. 2G (default " + format_size(d.file) +
                      "; guards against decompression bombs)")
      ->check(positive_size("--max-file-size"));
  cmd->add_option("--max-layer-size", flags.layer,
                  "Largest uncompressed layer accepted (default " + format_size(d.layer) + ")")
      ->check(positive_size("--max-layer-size"));
  if (image) {
    cmd->add_option("--max-image-size", flags.image,
                    "Largest uncompressed image accepted, all layers together (default " +
                        format_size(d.image) + ")")
        ->check(positive_size("--max-image-size"));
  }
}

SizeLimits parse_limit_flags(const LimitFlags& flags) {
  SizeLimits l;
  if (!flags.file.empty()) l.file = parse_size(flags.file, "--max-file-size");
  if (!flags.layer.empty()) l.layer = parse_size(flags.layer, "--max-layer-size");
  if (!flags.image.empty()) l.image = parse_size(flags.image, "--max-image-size");
  return l;
}

}  // namespace distill::cli
