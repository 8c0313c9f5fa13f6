// distill copy SRC DST: images and indexes between any two transports
// (src/transport/), digests preserved.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flag_checks.h"
#include "cli/read_flags.h"
#include "cli/registry_flags.h"
#include "transport/transport.h"
#include "util/log.h"

namespace distill::cli {

namespace {

struct CopyArgs {
  std::string src;
  std::string dst;
  std::string platform;
  std::vector<std::string> tags;
  RegistryFlags registry;
  bool json = false;
};

void run_copy(const CopyArgs& a) {
  transport::Reference src = transport::parse_reference(a.src);
  transport::Reference dst = transport::parse_reference(a.dst);
  transport::OpenOptions in;
  in.registry = registry_options(a.registry, "src");
  oci::Artifact art = transport::open(src, in);
  if (!a.platform.empty()) {
    art.image = pick_image(art, a.platform, a.src);
    art.index = nullptr;
  }
  transport::WriteOptions out;
  out.registry = registry_options(a.registry, "dest");
  out.tags = a.tags;
  transport::WriteResult w = transport::write(dst, art, out);
  if (!w.summary.empty()) log_info(w.summary);
  const std::string& digest = w.digest;
  // docker-archive:- put the image on stdout; the result goes beside the logs.
  std::FILE* to = transport::is_stdout(dst) ? stderr : stdout;
  if (a.json) {
    nlohmann::json j{
        {"source", a.src},
        {"destination", a.dst},
        {"digest", digest},
        {"media_type", art.index ? art.index->media_type() : art.image->manifest_media_type()}};
    std::fprintf(to, "%s\n", j.dump(2).c_str());
  } else {
    std::fprintf(to, "%s\n", digest.c_str());
  }
}

}  // namespace

void add_copy_command(CLI::App& app) {
  auto a = std::make_shared<CopyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "copy",
      "Copy an image or a multi-platform index between OCI layouts, oci-archives,\n"
      "docker-archives and registries. Manifests are copied byte for byte, so digests stay\n"
      "the same (except into a docker-archive, which stores one platform and uncompressed layers). "
      "Every\n"
      "blob is checked against its digest as it streams.");
  cmd->add_option("source", a->src,
                  "Image to read (oci:, oci-archive:, docker-archive:, docker://, a path)")
      ->required();
  cmd->add_option("destination", a->dst,
                  "Where to write it (oci:, oci-archive:, docker-archive:, docker://)")
      ->required();
  cmd->add_option("--platform", a->platform,
                  "Copy only this platform of an index (OS/ARCH[/VARIANT], e.g. linux/arm64)");
  cmd->add_option(
         "-t,--tag", a->tags,
         "Tag (ref.name) in an oci: or oci-archive: destination, or NAME:TAG in a docker-archive "
         "(repeatable)")
      ->check(tag_name("--tag"));
  add_registry_flags(cmd, a->registry, RegistryFlagSet::kCopy);
  cmd->add_flag("--json", a->json, "Print the result as JSON");
  cmd->footer(help_footer(
      "  distill copy oci:out/base docker://registry.example:5000/base:1\n"
      "  distill copy docker://127.0.0.1:5000/base:1 oci:pulled --insecure\n"
      "  distill copy docker://ghcr.io/org/app:1 docker-archive:app.tar --platform linux/arm64\n"
      "\nREGISTRY CONFIGURATION\n"
      "  $DISTILL_REGISTRIES_CONFIG or ~/.config/distill/registries.yaml may set, per registry\n"
      "  host[:port], 'insecure: true' or 'ca-cert: FILE'.\n"));
  cmd->callback([a] { run_copy(*a); });
}

}  // namespace distill::cli
