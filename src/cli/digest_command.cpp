// distill digest REF: the digest of what REF points to, like `crane digest`.
#include <cstdio>

#include "cli/commands.h"
#include "cli/read_flags.h"

namespace distill::cli {

void add_digest_command(CLI::App& app) {
  auto a = std::make_shared<ReadArgs>();
  CLI::App* cmd = app.add_subcommand(
      "digest",
      "Print the digest (sha256:...) of the manifest, or of the index for a multi-platform\n"
      "image: the sha256 of the bytes 'distill manifest' prints, the digest to pin in\n"
      "REPO@DIGEST. With --platform, the digest of that platform's image in the index.");
  add_read_args(cmd, *a, "Image reference (see IMAGE REFERENCES)", true);
  cmd->footer(
      help_footer("  distill digest oci:out/base:latest\n"
                  "  distill digest docker://127.0.0.1:5000/base:1 --insecure\n"
                  "  distill digest out/base --platform linux/arm64     # one image of the index"));
  cmd->callback([a] {
    oci::Artifact art = open_read(*a);
    std::string digest =
        art.index && a->platform.empty() ? art.index->digest() : pick_image(art, *a)->digest();
    std::printf("%s\n", digest.c_str());
  });
}

}  // namespace distill::cli
