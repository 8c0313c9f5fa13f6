// distill config REF: the image's config blob exactly as stored, like
// `crane config` and `skopeo inspect --config --raw`.
#include "cli/commands.h"
#include "cli/read_flags.h"

namespace distill::cli {

void add_config_command(CLI::App& app) {
  auto a = std::make_shared<ReadArgs>();
  CLI::App* cmd = app.add_subcommand(
      "config",
      "Print the raw config blob of an image (entrypoint, env, user, rootfs diff_ids...), byte\n"
      "for byte as stored (no newline is added). For a multi-platform image, --platform picks\n"
      "the image; without it the only image, or linux/amd64, is used.");
  add_read_args(cmd, *a, "Image reference (see IMAGE REFERENCES)", true);
  cmd->footer(
      help_footer("  distill config oci:out/static | jq .config\n"
                  "  distill config docker://127.0.0.1:5000/base:1 --platform linux/arm64/v8\n"
                  "  distill config image.tar | sha256sum      # the image ID"));
  cmd->callback([a] { write_stdout(pick_image(open_read(*a), *a)->raw_config()); });
}

}  // namespace distill::cli
