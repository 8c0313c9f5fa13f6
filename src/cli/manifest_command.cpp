// distill manifest REF: the manifest or index exactly as stored, like
// `crane manifest` and `skopeo inspect --raw`.
#include "cli/commands.h"
#include "cli/read_flags.h"

namespace distill::cli {

void add_manifest_command(CLI::App& app) {
  auto a = std::make_shared<ReadArgs>();
  CLI::App* cmd = app.add_subcommand(
      "manifest",
      "Print the raw manifest of an image, or the raw index of a multi-platform image, byte for\n"
      "byte as stored (no newline is added), so that its sha256 is the digest. With --platform,\n"
      "print the manifest of that platform's image from the index instead. A docker-archive\n"
      "stores no manifest; the one printed is the OCI manifest distill reads it as.");
  add_read_args(cmd, *a, "Image reference (see IMAGE REFERENCES)", true);
  cmd->footer(
      help_footer("  distill manifest oci:out/base\n"
                  "  distill manifest docker://127.0.0.1:5000/base:1 --insecure | jq .\n"
                  "  distill manifest out/base --platform linux/arm64 | sha256sum"));
  cmd->callback([a] {
    oci::Artifact art = open_read(*a);
    if (art.index && a->platform.empty()) {
      write_stdout(art.index->raw_index());
    } else {
      write_stdout(pick_image(art, *a)->raw_manifest());
    }
  });
}

}  // namespace distill::cli
