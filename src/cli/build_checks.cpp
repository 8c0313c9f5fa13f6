#include "cli/build_checks.h"

#include <cstdio>

#include "cli/commands.h"
#include "cli/gate_flags.h"
#include "inspect/gates.h"
#include "inspect/image_checks.h"
#include "inspect/image_scan.h"
#include "inspect/report.h"
#include "util/error.h"
#include "util/log.h"

namespace distill::cli {

namespace {

std::optional<inspect::GateLimit> gate(const std::optional<BudgetLimit>& b) {
  if (!b) return std::nullopt;
  return inspect::GateLimit{b->value, b->where};
}

inspect::Gates budget_gates(const BudgetSpec& b) {
  inspect::Gates g;
  g.max_size = gate(b.max_size);
  g.max_layers = gate(b.max_layers);
  g.max_wasted = gate(b.max_wasted);
  return g;
}

bool check_on(const Definition& def, const std::string& check) {
  auto it = def.checks.find(check);
  return it == def.checks.end() || it->second;
}

// The failed checks that are on, as "FILE:LINE: message" lines.
std::vector<std::string> failed_checks(const Definition& def, const inspect::MergedFs& fs,
                                       const nlohmann::json& report, const std::string& prefix) {
  std::vector<std::string> lines;
  for (const auto& f : inspect::image_checks(fs, report)) {
    if (!check_on(def, f.check)) continue;
    auto at = def.config.where.find(f.field);
    std::string where = at != def.config.where.end() ? at->second : def.path;
    lines.push_back(where + ": " + prefix + f.message + "; checks: {" + f.check +
                    ": false} turns this check off");
  }
  return lines;
}

}  // namespace

void check_built_images(const Definition& def, const BuildResult& result) {
  inspect::Gates gates = budget_gates(def.budget);
  bool any_check = check_on(def, "user") || check_on(def, "entrypoint") || check_on(def, "workdir");
  if (!gates.any() && !any_check) return;
  size_t failed = 0;
  std::vector<std::string> check_lines;
  for (const auto& img : result.images) {
    inspect::ScanOptions options;
    inspect::ImageScan scan = inspect::scan_image(*img.image, options);
    inspect::Target target;
    target.reference = def.path.empty() ? def.name : def.path;
    target.image = img.image;
    nlohmann::json report = inspect::build_report(target, scan);
    std::string prefix = result.images.size() > 1 ? img.arch + ": " : "";
    for (auto& line : failed_checks(def, scan.fs, report, prefix)) check_lines.push_back(line);
    failed += print_breaches(inspect::evaluate_gates(gates, report), prefix);
  }
  if (!check_lines.empty()) {
    // One line each, in the "distill: error:" form the last one gets from main.
    for (size_t i = 0; i + 1 < check_lines.size(); ++i) {
      std::fprintf(stderr, "distill: error: %s\n", check_lines[i].c_str());
    }
    throw Error(check_lines.back());
  }
  if (failed > 0) {
    set_error_status(inspect::kGateExitStatus);
    throw Error((def.path.empty() ? def.name : def.path) + ": the image is over its budget (" +
                std::to_string(failed) + " breach" + (failed == 1 ? "" : "es") +
                "); no output was written");
  }
}

}  // namespace distill::cli
