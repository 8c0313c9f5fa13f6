// inspect's CI gates as flags (--fail-on warning, --max-size, --max-layers,
// --max-wasted) and the one way both inspect and build report a breach.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "inspect/gates.h"

namespace distill::cli {

struct GateFlags {
  std::string fail_on, max_size, max_layers, max_wasted;
};

void add_gate_flags(CLI::App* cmd, GateFlags& flags);
inspect::Gates parse_gate_flags(const GateFlags& flags);

// Prints each failed gate to stderr, one line each ("distill: PREFIXgate
// failed: ..."), and returns how many failed.
size_t print_breaches(const std::vector<inspect::GateResult>& results, const std::string& prefix);

}  // namespace distill::cli
