#include "inspect/gates.h"

#include <gtest/gtest.h>

namespace distill::inspect {
namespace {

// An inspect report with what the gates read: sizes, layers, warnings.
nlohmann::json gates_report(uint64_t uncompressed,
                            std::vector<std::pair<uint64_t, uint64_t>> layers,
                            std::vector<std::string> warnings) {
  nlohmann::json r;
  r["size"] = {{"uncompressed", uncompressed}};
  r["layers"] = nlohmann::json::array();
  for (auto [replaced, removed] : layers)
    r["layers"].push_back({{"replaced_bytes", replaced}, {"removed_bytes", removed}});
  r["warnings"] = nlohmann::json::array();
  for (const auto& code : warnings) r["warnings"].push_back({{"code", code}, {"message", "m"}});
  return r;
}

TEST(Gates, WastedBytesAddReplacedAndRemovedOverAllLayers) {
  EXPECT_EQ(wasted_bytes(gates_report(0, {{0, 0}, {10, 5}, {0, 7}}, {})), 22u);
  EXPECT_EQ(wasted_bytes(gates_report(0, {}, {})), 0u);
}

TEST(Gates, NoGatesNoResults) {
  Gates g;
  EXPECT_FALSE(g.any());
  EXPECT_TRUE(evaluate_gates(g, gates_report(1, {{0, 0}}, {"x"})).empty());
}

TEST(Gates, AtTheLimitPassesOneOverFails) {
  Gates g;
  g.max_size = GateLimit{1000, "--max-size"};
  g.max_layers = GateLimit{2, "app.yaml:9"};
  g.max_wasted = GateLimit{15, "--max-wasted"};
  auto at = evaluate_gates(g, gates_report(1000, {{0, 0}, {10, 5}}, {}));
  ASSERT_EQ(at.size(), 3u);
  EXPECT_EQ(breaches(at), 0u);
  auto over = evaluate_gates(g, gates_report(1001, {{0, 0}, {10, 6}, {0, 0}}, {}));
  ASSERT_EQ(over.size(), 3u);
  EXPECT_EQ(breaches(over), 3u);
  EXPECT_EQ(over[0].gate, "max-size");
  EXPECT_EQ(over[0].measured, 1001u);
  EXPECT_EQ(over[0].message,
            "max-size 1000 bytes (set by --max-size): the image is 1001 B (1001 bytes) "
            "uncompressed");
  EXPECT_EQ(over[1].message, "max-layers 2 (set by app.yaml:9): the image has 3 layers");
  EXPECT_EQ(over[2].gate, "max-wasted");
  EXPECT_EQ(over[2].message,
            "max-wasted 15 bytes (set by --max-wasted): later layers hide 16 B (16 bytes) of "
            "files earlier layers wrote");
}

TEST(Gates, FailOnWarningListsTheCodes) {
  Gates g;
  g.fail_on_warning = "--fail-on";
  EXPECT_TRUE(g.any());
  auto none = evaluate_gates(g, gates_report(1, {}, {}));
  ASSERT_EQ(none.size(), 1u);
  EXPECT_TRUE(none[0].passed);
  auto two = evaluate_gates(g, gates_report(1, {}, {"no-ca", "setuid"}));
  EXPECT_FALSE(two[0].passed);
  EXPECT_EQ(two[0].message,
            "fail-on warning (set by --fail-on): the image has 2 warnings (no-ca, setuid)");
}

TEST(Gates, JsonHasEveryResult) {
  Gates g;
  g.max_layers = GateLimit{1, "--max-layers"};
  nlohmann::json j = gates_json(evaluate_gates(g, gates_report(1, {{0, 0}, {0, 0}}, {})));
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["gate"], "max-layers");
  EXPECT_EQ(j[0]["limit"], 1);
  EXPECT_EQ(j[0]["measured"], 2);
  EXPECT_EQ(j[0]["where"], "--max-layers");
  EXPECT_EQ(j[0]["passed"], false);
}

}  // namespace
}  // namespace distill::inspect
