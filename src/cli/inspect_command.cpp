#include <cstdio>

#include "cli/commands.h"
#include "cli/gate_flags.h"
#include "cli/limit_flags.h"
#include "cli/registry_flags.h"
#include "elf/ldconfig.h"
#include "image/arch.h"
#include "inspect/attached.h"
#include "inspect/elf_needs.h"
#include "inspect/gates.h"
#include "inspect/image_scan.h"
#include "inspect/open_image.h"
#include "inspect/render.h"
#include "inspect/report.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace distill::cli {

namespace {

struct InspectArgs {
  std::string reference;
  std::string platform;
  bool json = false;
  std::string tree;
  bool want_tree = false;
  std::string html;
  LimitFlags limits;
  GateFlags gates;
  RegistryFlags registry;
};

std::string dump(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

// "Will it run", the analysis of `distill deps REF`: each ELF file whose
// libraries or symbol versions the image lacks is a warning (a missing
// interpreter is already one, from the scan). An image for a platform with
// no Debian architecture, or without a dynamic ELF file, has none.
void add_unmet_need_warnings(const oci::Image& image, const inspect::MergedFs& fs,
                             nlohmann::json& report) {
  bool dynamic = false;
  for (const auto& [path, f] : fs.files()) dynamic = dynamic || (f.elf && f.elf_interp);
  if (!dynamic) return;
  std::optional<elf::CacheArch> arch;
  try {
    arch = elf::cache_arch_from_debian(debian_arch_for_platform(image.platform()));
  } catch (const Error&) {
    return;
  }
  if (!arch) return;
  for (const auto& n : inspect::image_unmet_needs(image, *arch, &fs).needs) {
    if (n.code == "missing-interpreter") continue;
    report["warnings"].push_back({{"code", n.code}, {"message", n.message}, {"paths", {n.file}}});
  }
}

// What is attached to the image; null (and a warning) when the registry
// would not say, since the report is still worth having.
nlohmann::json attached_or_null(const inspect::Target& t, const registry::RegistryOptions& r) {
  try {
    return inspect::attached_json(inspect::list_attached(t, r));
  } catch (const Error& e) {
    log_warn("cannot list what is attached to " + t.reference + ": " + e.what());
    return nullptr;
  }
}

void run_inspect(const InspectArgs& a) {
  inspect::Target target =
      inspect::open_target(a.reference, a.platform, registry_options(a.registry, ""));
  inspect::ScanOptions options;
  options.limits = parse_limit_flags(a.limits);
  inspect::ImageScan scan = inspect::scan_image(*target.image, options);
  if (a.want_tree) {
    if (a.json) {
      std::printf("%s\n", dump(inspect::tree_json(scan.fs, a.tree)).c_str());
    } else {
      std::fputs(inspect::render_tree(scan.fs, a.tree).c_str(), stdout);
    }
    return;
  }
  nlohmann::json report = inspect::build_report(target, scan);
  add_unmet_need_warnings(*target.image, scan.fs, report);
  report["attached"] = attached_or_null(target, registry_options(a.registry, ""));
  std::vector<inspect::GateResult> gates =
      inspect::evaluate_gates(parse_gate_flags(a.gates), report);
  report["gates"] = inspect::gates_json(gates);
  if (!a.html.empty()) {
    // Down to files (64 levels is any real depth), so a treemap box shows
    // where the bytes are; boxes under 0.2% of the image fold into "(other)".
    write_file_atomic(
        a.html, inspect::render_html(report, inspect::directory_size_tree(scan.fs, 64, 0.002)));
    log_info("wrote " + a.html);
  }
  if (a.json) {
    std::printf("%s\n", dump(report).c_str());
  } else if (a.html.empty()) {
    std::fputs(inspect::render_text(report).c_str(), stdout);
  }
  // After the report, so CI logs show what the gates measured.
  std::fflush(stdout);
  if (print_breaches(gates, "") > 0) set_exit_status(inspect::kGateExitStatus);
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto a = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "inspect",
      "Show what is inside an image, daemonless: layers, config, OS, users, CA bundle, time\n"
      "zones, shared libraries, packages and licenses, largest files, and warnings for what a\n"
      "program will miss. Works on any OCI layout, oci-archive, docker-archive or registry\n"
      "image, not only distill's.");
  cmd->add_option("reference", a->reference, "Image reference (see IMAGE REFERENCES)")->required();
  cmd->add_option("--platform", a->platform, "Platform to pick from an index, e.g. linux/arm64");
  add_limit_flags(cmd, a->limits, true);
  add_gate_flags(cmd, a->gates);
  add_registry_flags(cmd, a->registry, RegistryFlagSet::kRead);
  cmd->add_flag("--json", a->json, "Print the report as JSON (schema: docs/inspect-schema.md)");
  cmd->add_option("--tree", a->tree,
                  "Print the merged file tree (below PATH, default /): mode, owner, size, "
                  "link, and the layer that last wrote each entry")
      ->expected(0, 1);
  cmd->add_option("--html", a->html, "Write a self-contained HTML report to FILE");
  cmd->footer(
      help_footer("  distill inspect out/static\n"
                  "  distill inspect oci:out/base:latest --platform linux/arm64 --json\n"
                  "  distill inspect image.tar --tree /etc\n"
                  "  distill inspect out/static --html report.html\n"
                  "  distill inspect out/app --fail-on warning --max-size 30M --max-wasted 1M",
                  "  " + std::to_string(inspect::kGateExitStatus) +
                      " the image breaks a CI gate (each breach is one line on stderr)\n"));
  cmd->callback([a, cmd] {
    a->want_tree = cmd->count("--tree") > 0;
    run_inspect(*a);
  });
}

}  // namespace distill::cli
