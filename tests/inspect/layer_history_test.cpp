// Pairing the config's history with the layers, as docker history does:
// entries marked empty_layer are skipped, the rest are the layers in order.
#include <gtest/gtest.h>

#include "inspect/report.h"

namespace distill::inspect {

namespace {

std::vector<nlohmann::json> by(const char* config, size_t layers) {
  return layer_created_by(nlohmann::json::parse(config), layers);
}

}  // namespace

TEST(LayerCreatedBy, OneEntryPerLayer) {
  auto got =
      by(R"({"history":[{"created_by":"package a 1"},{"created_by":"generated files: /x"}]})", 2);
  EXPECT_EQ(got, (std::vector<nlohmann::json>{"package a 1", "generated files: /x"}));
}

TEST(LayerCreatedBy, EmptyLayerEntriesAreSkipped) {
  auto got = by(R"({"history":[{"created_by":"ENV A=1","empty_layer":true},
                               {"created_by":"COPY x"},{"comment":"no created_by"},
                               {"created_by":"CMD","empty_layer":true}]})",
                2);
  EXPECT_EQ(got, (std::vector<nlohmann::json>{"COPY x", nullptr}));
}

TEST(LayerCreatedBy, EntriesThatDoNotPairUpNameNoLayer) {
  std::vector<nlohmann::json> none(2, nullptr);
  EXPECT_EQ(by(R"({"history":[{"created_by":"only one"}]})", 2), none);
  EXPECT_EQ(by(R"({"history":[{"created_by":"a"},{"created_by":"b"},{"created_by":"c"}]})", 2),
            none);
  EXPECT_EQ(by(R"({})", 2), none);
  EXPECT_EQ(by(R"({"history":"nonsense"})", 2), none);
  EXPECT_EQ(by(R"({"history":[1,2]})", 2), none);
  EXPECT_EQ(by(R"({"history":[]})", 0), std::vector<nlohmann::json>{});
}

}  // namespace distill::inspect
