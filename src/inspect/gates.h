// CI gates: limits an image must stay within (dive's --ci). `distill inspect`
// takes them as flags (--fail-on warning, --max-size, --max-layers,
// --max-wasted) and `distill build` from the definition's budget: key; both
// list every breach, one line each, and exit with kGateExitStatus.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace distill::inspect {

// The exit status of a command whose image breaks a gate.
inline constexpr int kGateExitStatus = 3;

// One limit and where it was set: a flag ("--max-size") or "FILE:LINE".
struct GateLimit {
  uint64_t value = 0;
  std::string where;
};

struct Gates {
  std::optional<GateLimit> max_size;           // uncompressed bytes of all layers
  std::optional<GateLimit> max_layers;         // number of layers
  std::optional<GateLimit> max_wasted;         // bytes of files later layers replace or white out
  std::optional<std::string> fail_on_warning;  // where it was asked for
  bool any() const { return max_size || max_layers || max_wasted || fail_on_warning; }
};

struct GateResult {
  std::string gate;  // "max-size", "max-layers", "max-wasted", "fail-on"
  uint64_t limit = 0;
  uint64_t measured = 0;
  std::string where;
  bool passed = true;
  std::string message;  // one line: the limit, where it was set, the measured value
};

// Bytes the image stores that no container sees: regular files a later
// layer replaced or whited out (the inspect report's replaced_bytes plus
// removed_bytes over all layers).
uint64_t wasted_bytes(const nlohmann::json& report);

// Every gate of `gates` measured on an inspect report (inspect/report.h),
// in the order max-size, max-layers, max-wasted, fail-on.
std::vector<GateResult> evaluate_gates(const Gates& gates, const nlohmann::json& report);

// The results as the report's "gates" array.
nlohmann::json gates_json(const std::vector<GateResult>& results);

// How many results failed.
size_t breaches(const std::vector<GateResult>& results);

}  // namespace distill::inspect
