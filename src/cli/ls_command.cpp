// distill ls REPO: the tags stored at a reference, like `crane ls`.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/read_flags.h"
#include "transport/transport.h"

namespace distill::cli {

namespace {

struct LsArgs {
  ReadArgs read;
  bool json = false;
};

void run_ls(const LsArgs& a) {
  transport::OpenOptions opts;
  opts.registry = registry_options(a.read.registry, "");
  std::vector<std::string> tags =
      transport::list_tags(transport::parse_reference(a.read.reference), opts);
  if (a.json) {
    std::printf("%s\n", nlohmann::json(tags).dump(2).c_str());
    return;
  }
  for (const auto& t : tags) std::printf("%s\n", t.c_str());
}

}  // namespace

void add_ls_command(CLI::App& app) {
  auto a = std::make_shared<LsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "ls",
      "List the tags of a registry repository (every page of /v2/REPO/tags/list), of an OCI\n"
      "layout or oci-archive (the ref.name of each index.json entry) or of a docker-archive\n"
      "(its RepoTags), one a line in the order stored. A tag in the reference is ignored.");
  add_read_args(cmd, a->read, "Repository or image reference (see IMAGE REFERENCES)", false);
  cmd->add_flag("--json", a->json, "Print the tags as a JSON array");
  cmd->footer(
      help_footer("  distill ls docker://127.0.0.1:5000/base --insecure\n"
                  "  distill ls oci:out/family\n"
                  "  distill ls app.tar --json"));
  cmd->callback([a] { run_ls(*a); });
}

}  // namespace distill::cli
