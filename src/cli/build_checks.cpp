#include "cli/build_checks.h"

#include <cstdio>

#include "cli/commands.h"
#include "cli/gate_flags.h"
#include "debian/cache.h"
#include "inspect/gates.h"
#include "inspect/image_checks.h"
#include "inspect/image_scan.h"
#include "inspect/report.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/sha256.h"

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

// What the checks and the budget read of one image: its check failures
// (every check, on or off) and the parts of its report the gates measure.
// A pure function of the image's bytes (its manifest digest) and the
// reference the report names, so it is kept in the cache under
// DIR/checks/<sha256 of both>.json and a rebuild that makes the same image
// does not read its layers again.
struct ImageFacts {
  std::vector<inspect::CheckFailure> failures;
  nlohmann::json report;  // size.uncompressed, layers[].replaced/removed_bytes, warnings
};

constexpr int kFactsVersion = 1;

nlohmann::json facts_json(const ImageFacts& f) {
  nlohmann::json fails = nlohmann::json::array();
  for (const auto& c : f.failures) fails.push_back({c.check, c.field, c.message});
  return {{"version", kFactsVersion}, {"failures", fails}, {"report", f.report}};
}

ImageFacts scan_facts(const BuiltImage& img, const std::string& reference) {
  inspect::ScanOptions options;
  inspect::ImageScan scan = inspect::scan_image(*img.image, options);
  inspect::Target target;
  target.reference = reference;
  target.image = img.image;
  nlohmann::json report = inspect::build_report(target, scan);
  ImageFacts f;
  f.failures = inspect::image_checks(scan.fs, report);
  f.report["size"]["uncompressed"] = report["size"]["uncompressed"];
  f.report["layers"] = nlohmann::json::array();
  for (const auto& l : report["layers"])
    f.report["layers"].push_back(
        {{"replaced_bytes", l["replaced_bytes"]}, {"removed_bytes", l["removed_bytes"]}});
  f.report["warnings"] = report["warnings"];
  return f;
}

// The facts from the cache, else scanned and stored there. A cache entry
// that does not match its SHA-256 is ignored and replaced.
ImageFacts image_facts(const BuiltImage& img, const std::string& reference,
                       const std::string& cache_dir) {
  std::string dir = join_path(cache_dir, "checks");
  std::string path = join_path(dir, sha256_hex(img.image->digest() + "\n" + reference + "\n" +
                                               std::to_string(kFactsVersion)) +
                                        ".json");
  if (path_exists(path)) {
    try {
      nlohmann::json doc = nlohmann::json::parse(read_file(path));
      const nlohmann::json& e = doc.at("facts");
      if (sha256_hex(e.dump()) == doc.at("sha256").get<std::string>() &&
          e.at("version") == kFactsVersion) {
        ImageFacts f;
        for (const auto& c : e.at("failures"))
          f.failures.push_back(
              {c.at(0).get<std::string>(), c.at(1).get<std::string>(), c.at(2).get<std::string>()});
        f.report = e.at("report");
        return f;
      }
      log_warn(path + " does not match its SHA-256; checking the image again");
    } catch (const std::exception& ex) {
      log_warn("ignoring unreadable " + path + ": " + ex.what());
    }
  }
  ImageFacts f = scan_facts(img, reference);
  try {
    make_dirs(dir);
    nlohmann::json e = facts_json(f);
    write_file_atomic(path, nlohmann::json{{"facts", e}, {"sha256", sha256_hex(e.dump())}}.dump());
  } catch (const std::exception& ex) {
    log_warn("cannot store " + path + ": " + ex.what());
  }
  return f;
}

// The failed checks that are on, as "FILE:LINE: message" lines.
std::vector<std::string> failed_checks(const Definition& def,
                                       const std::vector<inspect::CheckFailure>& failures,
                                       const std::string& prefix) {
  std::vector<std::string> lines;
  for (const auto& f : failures) {
    if (!check_on(def, f.check)) continue;
    auto at = def.config.where.find(f.field);
    std::string where = at != def.config.where.end() ? at->second : def.path;
    lines.push_back(where + ": " + prefix + f.message + "; checks: {" + f.check +
                    ": false} turns this check off");
  }
  return lines;
}

}  // namespace

void check_built_images(const Definition& def, const BuildResult& result,
                        const std::string& cache_dir) {
  inspect::Gates gates = budget_gates(def.budget);
  bool any_check = check_on(def, "user") || check_on(def, "entrypoint") || check_on(def, "workdir");
  if (!gates.any() && !any_check) return;
  size_t failed = 0;
  std::vector<std::string> check_lines;
  std::string cache = cache_dir.empty() ? debian::Cache::default_dir() : cache_dir;
  for (const auto& img : result.images) {
    ImageFacts facts = image_facts(img, def.path.empty() ? def.name : def.path, cache);
    std::string prefix = result.images.size() > 1 ? img.arch + ": " : "";
    for (auto& line : failed_checks(def, facts.failures, prefix)) check_lines.push_back(line);
    failed += print_breaches(inspect::evaluate_gates(gates, facts.report), prefix);
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
