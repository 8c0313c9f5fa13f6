#include "cli/gate_flags.h"

#include <cstdio>

#include "archive/size_limits.h"
#include "util/error.h"

namespace distill::cli {

namespace {

// A size as --max-file-size takes it, or 0 (no bytes at all).
uint64_t gate_size(const std::string& text, const std::string& flag) {
  return text == "0" ? 0 : parse_size(text, flag);
}

}  // namespace

void add_gate_flags(CLI::App* cmd, GateFlags& flags) {
  const std::string exit = " (exit status " + std::to_string(inspect::kGateExitStatus) + ")";
  cmd->add_option("--fail-on", flags.fail_on, "CI gate: fail if the report has a warning" + exit)
      ->check(CLI::IsMember({"warning"}));
  cmd->add_option("--max-size", flags.max_size,
                  "CI gate: fail if the layers together are larger than SIZE uncompressed, "
                  "e.g. 20M" +
                      exit);
  cmd->add_option("--max-layers", flags.max_layers,
                  "CI gate: fail if the image has more than N layers" + exit)
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-wasted", flags.max_wasted,
                  "CI gate: fail if later layers hide (replace or white out) more than SIZE of "
                  "files earlier layers wrote" +
                      exit);
}

inspect::Gates parse_gate_flags(const GateFlags& flags) {
  inspect::Gates g;
  if (!flags.max_size.empty()) {
    g.max_size = inspect::GateLimit{gate_size(flags.max_size, "--max-size"), "--max-size"};
  }
  if (!flags.max_layers.empty()) {
    g.max_layers = inspect::GateLimit{std::stoull(flags.max_layers), "--max-layers"};
  }
  if (!flags.max_wasted.empty()) {
    g.max_wasted = inspect::GateLimit{gate_size(flags.max_wasted, "--max-wasted"), "--max-wasted"};
  }
  if (!flags.fail_on.empty()) g.fail_on_warning = "--fail-on";
  return g;
}

size_t print_breaches(const std::vector<inspect::GateResult>& results, const std::string& prefix) {
  size_t n = 0;
  for (const auto& r : results) {
    if (r.passed) continue;
    std::fprintf(stderr, "distill: %sgate failed: %s\n", prefix.c_str(), r.message.c_str());
    ++n;
  }
  return n;
}

}  // namespace distill::cli
