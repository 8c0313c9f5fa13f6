#include "cli/build_checks.h"

#include "cli/commands.h"
#include "cli/gate_flags.h"
#include "inspect/gates.h"
#include "inspect/image_scan.h"
#include "inspect/report.h"
#include "util/error.h"

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

}  // namespace

void check_built_images(const Definition& def, const BuildResult& result) {
  inspect::Gates gates = budget_gates(def.budget);
  if (!gates.any()) return;
  size_t failed = 0;
  for (const auto& img : result.images) {
    inspect::ScanOptions options;
    inspect::ImageScan scan = inspect::scan_image(*img.image, options);
    inspect::Target target;
    target.reference = def.path.empty() ? def.name : def.path;
    target.image = img.image;
    nlohmann::json report = inspect::build_report(target, scan);
    std::string prefix = result.images.size() > 1 ? img.arch + ": " : "";
    failed += print_breaches(inspect::evaluate_gates(gates, report), prefix);
  }
  if (failed > 0) {
    set_error_status(inspect::kGateExitStatus);
    throw Error((def.path.empty() ? def.name : def.path) + ": the image is over its budget (" +
                std::to_string(failed) + " breach" + (failed == 1 ? "" : "es") +
                "); no output was written");
  }
}

}  // namespace distill::cli
