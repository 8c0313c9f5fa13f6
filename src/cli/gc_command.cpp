// distill gc DIR: removes the blobs of an OCI layout that no tag reaches
// (left by older distill versions or by other tools; distill's own writes
// drop them as they go).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "oci/layout.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace distill::cli {

namespace {

struct GcArgs {
  std::string dir;
  bool dry_run = false;
  bool json = false;
};

void run_gc(const GcArgs& a) {
  std::string dir = a.dir.rfind("oci:", 0) == 0 ? a.dir.substr(4) : a.dir;
  if (!is_directory(dir) || !oci::is_oci_layout(dir))
    throw Error(dir + " is not an OCI image layout directory (it needs oci-layout and index.json)");
  oci::OciLayout layout(dir);
  oci::GcResult r = oci::collect_layout_garbage(dir, layout.entries(), a.dry_run);
  if (a.json) {
    nlohmann::json j{{"layout", dir},
                     {"dry_run", a.dry_run},
                     {"blobs", r.removed.size()},
                     {"bytes", r.bytes},
                     {"removed", nlohmann::json::array()}};
    for (const auto& b : r.removed)
      j["removed"].push_back({{"digest", b.digest}, {"size", b.size}});
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  for (const auto& b : r.removed) {
    std::printf("%s %s (%s)\n", a.dry_run ? "would remove" : "removed", b.digest.c_str(),
                human_size(b.size).c_str());
  }
  std::printf("%s %zu unreachable blobs, %s\n", a.dry_run ? "would free" : "freed",
              r.removed.size(), human_size(r.bytes).c_str());
}

}  // namespace

void add_gc_command(CLI::App& app) {
  auto a = std::make_shared<GcArgs>();
  CLI::App* cmd = app.add_subcommand(
      "gc",
      "Remove the blobs of an OCI layout that no entry of its index.json reaches (through\n"
      "indexes and manifests), and print each one and what was freed. distill's own writes\n"
      "into a layout already drop the blobs a re-tag leaves behind; gc cleans layouts other\n"
      "tools or older versions wrote. Nothing is removed when a reachable manifest is missing.");
  cmd->add_option("layout", a->dir, "OCI layout directory (DIR or oci:DIR)")->required();
  cmd->add_flag("-n,--dry-run", a->dry_run, "Only print what would be removed");
  cmd->add_flag("--json", a->json, "Print the result as JSON");
  cmd->footer(
      help_footer("  distill gc out/family\n"
                  "  distill gc oci:out/family --dry-run\n"
                  "  distill gc out/family --json | jq .bytes"));
  cmd->callback([a] { run_gc(*a); });
}

}  // namespace distill::cli
