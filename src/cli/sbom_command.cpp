#include <cstdio>

#include "cli/commands.h"
#include "cli/limit_flags.h"
#include "cli/registry_flags.h"
#include "inspect/open_image.h"
#include "sbom/attached.h"
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
  std::string source = "auto";
  LimitFlags limits;
  RegistryFlags registry;
};

void emit(const SbomArgs& a, const std::string& text, const std::string& what) {
  if (a.output.empty() || a.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  write_file_atomic(a.output, text);
  log_info("wrote " + a.output + " (" + what + ")");
}

// An SBOM attached to the image, unchanged: what its builder recorded,
// which may know more than the image's files (the .debs' signed hashes).
bool emit_attached(const SbomArgs& a, const registry::RegistryOptions& registry) {
  inspect::Target t = inspect::open_target(a.reference, a.platform, registry);
  auto found = sbom::find_attached_sbom(t, a.format, registry);
  if (!found) {
    if (a.source == "attached")
      throw Error("no " + a.format + " SBOM is attached to " + a.reference +
                  " (referrers, tag schema, cosign tags); use --source image to read its files");
    log_verbose("sbom: no " + a.format + " SBOM attached to " + a.reference +
                "; reading the image's files");
    return false;
  }
  log_info("sbom: the SBOM attached as " + found->digest + " (" + found->source + ")");
  emit(a, found->document, "attached SBOM " + found->digest);
  return true;
}

void run_sbom(const SbomArgs& a) {
  if (a.format != "spdx-json" && a.format != "cyclonedx-json")
    throw Error("--format must be spdx-json or cyclonedx-json, not '" + a.format + "'");
  if (a.source != "auto" && a.source != "attached" && a.source != "image")
    throw Error("--source must be auto, attached or image, not '" + a.source + "'");
  int64_t created = sbom::source_date_epoch();
  sbom::ReadOptions options;
  options.platform = a.platform;
  options.limits = parse_limit_flags(a.limits);
  options.registry = registry_options(a.registry, "");
  if (a.source != "image" && emit_attached(a, options.registry)) return;
  sbom::ImageFiles image = sbom::read_image(a.reference, options);
  sbom::Sbom doc = sbom::build_sbom(image, created);
  if (a.source == "image") log_info("sbom: read from the image's files");
  std::string text =
      a.format == "spdx-json" ? sbom::to_spdx_json(doc) : sbom::to_cyclonedx_json(doc);
  emit(a, text, std::to_string(doc.packages.size()) + " packages");
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
      "depend on which. SOURCE_DATE_EPOCH sets the creation time, so output is reproducible.\n"
      "An SBOM attached to the image (an OCI referrer: the referrers API, the sha256-HEX\n"
      "tag, cosign's .sbom/.att tags, or a layout's index.json) is returned first, as\n"
      "attached; stderr says which source was used.");
  cmd->add_option("reference", a->reference, "Image reference (see IMAGE REFERENCES)")->required();
  cmd->add_option("--format", a->format, "spdx-json (SPDX 2.3, default) or cyclonedx-json (1.6)");
  cmd->add_option("-o,--output", a->output, "Write to FILE instead of standard output");
  cmd->add_option("--platform", a->platform, "Platform to pick from an index, e.g. linux/arm64");
  cmd->add_option("--source", a->source,
                  "auto (an attached SBOM, else the image's files), attached (fail without "
                  "one) or image (ignore attached SBOMs)");
  add_registry_flags(cmd, a->registry, RegistryFlagSet::kRead);
  add_limit_flags(cmd, a->limits, true);
  cmd->footer(
      help_footer("  distill sbom out/base > base.spdx.json\n"
                  "  distill sbom oci:out/cc:latest --format cyclonedx-json -o cc.cdx.json\n"
                  "  distill sbom docker://127.0.0.1:5000/base:latest --platform linux/arm64"));
  cmd->callback([a] { run_sbom(*a); });
}

}  // namespace distill::cli
