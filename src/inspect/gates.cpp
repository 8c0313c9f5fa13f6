#include "inspect/gates.h"

#include "archive/size_limits.h"
#include "util/log.h"

namespace distill::inspect {

namespace {

std::string bytes(uint64_t n) {
  return human_size(n) + " (" + std::to_string(n) + " bytes)";
}

std::string limit_text(const GateResult& r, bool size) {
  return r.gate + " " + (size ? format_size(r.limit) : std::to_string(r.limit)) + " (set by " +
         r.where + ")";
}

GateResult measure(const std::string& gate, const GateLimit& limit, uint64_t measured) {
  GateResult r;
  r.gate = gate;
  r.limit = limit.value;
  r.where = limit.where;
  r.measured = measured;
  r.passed = measured <= limit.value;
  return r;
}

}  // namespace

uint64_t wasted_bytes(const nlohmann::json& report) {
  uint64_t total = 0;
  for (const auto& l : report["layers"]) {
    total += l["replaced_bytes"].get<uint64_t>() + l["removed_bytes"].get<uint64_t>();
  }
  return total;
}

std::vector<GateResult> evaluate_gates(const Gates& gates, const nlohmann::json& report) {
  std::vector<GateResult> out;
  if (gates.max_size) {
    GateResult r =
        measure("max-size", *gates.max_size, report["size"]["uncompressed"].get<uint64_t>());
    r.message = limit_text(r, true) + ": the image is " + bytes(r.measured) + " uncompressed";
    out.push_back(r);
  }
  if (gates.max_layers) {
    GateResult r = measure("max-layers", *gates.max_layers, report["layers"].size());
    r.message = limit_text(r, false) + ": the image has " + std::to_string(r.measured) + " layer" +
                (r.measured == 1 ? "" : "s");
    out.push_back(r);
  }
  if (gates.max_wasted) {
    GateResult r = measure("max-wasted", *gates.max_wasted, wasted_bytes(report));
    r.message = limit_text(r, true) + ": later layers hide " + bytes(r.measured) +
                " of files earlier layers wrote";
    out.push_back(r);
  }
  if (gates.fail_on_warning) {
    GateResult r =
        measure("fail-on", GateLimit{0, *gates.fail_on_warning}, report["warnings"].size());
    std::string codes;
    for (const auto& w : report["warnings"]) {
      codes += (codes.empty() ? "" : ", ") + w["code"].get<std::string>();
    }
    r.message = "fail-on warning (set by " + r.where + "): the image has " +
                std::to_string(r.measured) + " warning" + (r.measured == 1 ? "" : "s") +
                (codes.empty() ? "" : " (" + codes + ")");
    out.push_back(r);
  }
  return out;
}

nlohmann::json gates_json(const std::vector<GateResult>& results) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : results) {
    out.push_back({{"gate", r.gate},
                   {"limit", r.limit},
                   {"measured", r.measured},
                   {"where", r.where},
                   {"passed", r.passed},
                   {"message", r.message}});
  }
  return out;
}

size_t breaches(const std::vector<GateResult>& results) {
  size_t n = 0;
  for (const auto& r : results) n += r.passed ? 0 : 1;
  return n;
}

}  // namespace distill::inspect
