#include <cstdio>

#include "cli/commands.h"
#include "cli/limit_flags.h"
#include "cli/registry_flags.h"
#include "inspect/extract.h"
#include "inspect/open_image.h"
#include "util/log.h"

namespace distill::cli {

namespace {

struct ExtractArgs {
  std::string reference;
  std::vector<std::string> paths;
  std::string output;
  std::string platform;
  LimitFlags limits;
  RegistryFlags registry;
};

void run_extract(const ExtractArgs& a) {
  inspect::Target target =
      inspect::open_target(a.reference, a.platform, registry_options(a.registry, ""));
  inspect::ExtractResult r =
      inspect::extract_paths(*target.image, a.paths, a.output, parse_limit_flags(a.limits));
  for (const auto& s : r.skipped) log_warn("skipped " + s + " (device or fifo)");
  log_info("extracted " + std::to_string(r.files) + " files (" + human_size(r.bytes) + "), " +
           std::to_string(r.directories) + " directories, " + std::to_string(r.symlinks) +
           " symlinks into " + a.output);
}

}  // namespace

void add_extract_command(CLI::App& app) {
  auto a = std::make_shared<ExtractArgs>();
  CLI::App* cmd = app.add_subcommand(
      "extract",
      "Copy files out of an image without unpacking all of it. Each PATH (a directory brings\n"
      "everything below it) lands at the same path under DIR. Layers and whiteouts are\n"
      "applied; symlinks are written as symlinks and never followed, nothing is written\n"
      "outside DIR, and existing files are not overwritten.");
  cmd->add_option("reference", a->reference, "Image reference (see IMAGE REFERENCES)")->required();
  cmd->add_option("paths", a->paths, "Paths in the image, e.g. /etc/passwd /usr/share/doc")
      ->required();
  cmd->add_option("-o,--output", a->output, "Directory to write into (created if missing)")
      ->required();
  cmd->add_option("--platform", a->platform, "Platform to pick from an index, e.g. linux/arm64");
  add_limit_flags(cmd, a->limits, true);
  add_registry_flags(cmd, a->registry, RegistryFlagSet::kRead);
  cmd->footer(
      help_footer("  distill extract out/static /etc/passwd /etc/os-release -o files\n"
                  "  distill extract image.tar /usr/share/doc -o docs"));
  cmd->callback([a] { run_extract(*a); });
}

}  // namespace distill::cli
