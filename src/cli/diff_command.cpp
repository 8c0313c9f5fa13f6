#include <cstdio>

#include "cli/commands.h"
#include "cli/limit_flags.h"
#include "cli/registry_flags.h"
#include "inspect/diff.h"
#include "inspect/image_scan.h"
#include "inspect/open_image.h"
#include "inspect/report.h"

namespace distill::cli {

namespace {

struct DiffArgs {
  std::string a, b;
  std::string platform;
  bool json = false;
  bool quiet = false;
  LimitFlags limits;
  RegistryFlags registry;
};

void run_diff(const DiffArgs& args) {
  // scratch takes the platform of the other side unless one was asked for.
  std::string pa = args.platform, pb = args.platform;
  inspect::Target ta, tb;
  registry::RegistryOptions ro = registry_options(args.registry, "");
  if (args.a == "scratch" && args.b != "scratch") {
    tb = inspect::open_target(args.b, pb, ro);
    ta = inspect::open_target(args.a, pa.empty() ? tb.image->platform().to_string() : pa, ro);
  } else {
    ta = inspect::open_target(args.a, pa, ro);
    tb = inspect::open_target(
        args.b, pb.empty() && args.b == "scratch" ? ta.image->platform().to_string() : pb, ro);
  }
  inspect::ScanOptions options;
  options.digests = true;
  options.limits = parse_limit_flags(args.limits);
  inspect::ImageScan sa = inspect::scan_image(*ta.image, options);
  inspect::ImageScan sb = inspect::scan_image(*tb.image, options);
  nlohmann::json ra = inspect::build_report(ta, sa);
  nlohmann::json rb = inspect::build_report(tb, sb);
  nlohmann::json d = inspect::diff_images(ra, sa.fs, rb, sb.fs);
  set_exit_status(d["differences"].get<uint64_t>() == 0 ? 0 : 1);
  if (args.quiet) return;
  if (args.json) {
    std::printf("%s\n", d.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::fputs(inspect::render_diff_text(d).c_str(), stdout);
  }
}

}  // namespace

void add_diff_command(CLI::App& app) {
  auto a = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand(
      "diff",
      "Compare two images: files added, removed and changed (content digest, mode, owner,\n"
      "link, mtime), packages added, removed and upgraded, config changes and the size delta.\n"
      "Either side may be 'scratch', the empty image.");
  cmd->add_option("a", a->a, "The old image (reference or 'scratch')")->required();
  cmd->add_option("b", a->b, "The new image (reference or 'scratch')")->required();
  cmd->add_option("--platform", a->platform, "Platform to pick from an index, e.g. linux/arm64");
  add_limit_flags(cmd, a->limits, true);
  add_registry_flags(cmd, a->registry, RegistryFlagSet::kRead);
  cmd->add_flag("--json", a->json, "Print the difference as JSON (docs/inspect-schema.md)");
  cmd->add_flag("-q,--quiet", a->quiet, "Print nothing; only the exit status tells");
  cmd->footer(
      help_footer("  distill diff scratch out/static\n"
                  "  distill diff oci:old:latest oci:new:latest --json\n"
                  "  distill diff -q oci:old oci:new || echo changed\n"
                  "\nDIFF EXIT STATUS\n"
                  "  0 same files, packages and config; 1 they differ; 2 error (as diff(1))"));
  cmd->callback([a] {
    set_error_status(2);  // as diff(1): 0 same, 1 different, 2 trouble
    run_diff(*a);
  });
}

}  // namespace distill::cli
