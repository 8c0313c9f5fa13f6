#include <cstdio>

#include "cli/commands.h"
#include "cli/limit_flags.h"
#include "cli/registry_flags.h"
#include "sbom/document.h"
#include "sbom/image_source.h"
#include "sbom/writers.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace distill::cli {

namespace {

struct SbomArgs {
  std::string reference;
  std::string format = "spdx-json";
  std::string output;
  std::string platform;
  LimitFlags limits;
  RegistryFlags registry;
};

void run_sbom(const SbomArgs& a) {
  if (a.format != "spdx-json" && a.format != "cyclonedx-json")
    throw Error("--format must be spdx-json or cyclonedx-json, not '" + a.format + "'");
  int64_t created = sbom::source_date_epoch();
  sbom::ReadOptions options;
  options.platform = a.platform;
  options.limits = parse_limit_flags(a.limits);
  options.registry = registry_options(a.registry, "");
  sbom::ImageFiles image = sbom::read_image(a.reference, options);
  sbom::Sbom doc = sbom::build_sbom(image, created);
  std::string text =
      a.format == "spdx-json" ? sbom::to_spdx_json(doc) : sbom::to_cyclonedx_json(doc);
  if (a.output.empty() || a.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  write_file_atomic(a.output, text);
  log_info("wrote " + a.output + " (" + std::to_string(doc.packages.size()) + " packages)");
}

}  // namespace

void add_sbom_command(CLI::App& app) {
  auto a = std::make_shared<SbomArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sbom",
      "Write a software bill of materials for an image: every Debian package the dpkg\n"
      "database lists (status.d/ or status), with version and epoch, architecture, source\n"
      "package, maintainer, license (SPDX expression from a DEP-5 copyright file) and a purl\n"
      "with the distro qualifier; the Debian release as the operating system; which packages\n"
      "depend on which. SOURCE_DATE_EPOCH sets the creation time, so output is reproducible.");
  cmd->add_option("reference", a->reference, "Image reference (see IMAGE REFERENCES)")->required();
  cmd->add_option("--format", a->format, "spdx-json (SPDX 2.3, default) or cyclonedx-json (1.6)");
  cmd->add_option("-o,--output", a->output, "Write to FILE instead of standard output");
  cmd->add_option("--platform", a->platform, "Platform to pick from an index, e.g. linux/arm64");
  add_registry_flags(cmd, a->registry, RegistryFlagSet::kRead);
  add_limit_flags(cmd, a->limits, true);
  cmd->footer(
      help_footer("  distill sbom out/base > base.spdx.json\n"
                  "  distill sbom oci:out/cc:latest --format cyclonedx-json -o cc.cdx.json\n"
                  "  distill sbom docker://127.0.0.1:5000/base:latest --platform linux/arm64"));
  cmd->callback([a] { run_sbom(*a); });
}

}  // namespace distill::cli
