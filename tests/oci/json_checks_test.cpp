// Wrongly typed fields in image JSON are Errors naming the field, not
// nlohmann::json::type_error escaping to the user. Inputs from
// fuzz/regressions/oci_layout and fuzz/regressions/docker_archive.
#include <gtest/gtest.h>

#include <functional>

#include "error_of.h"
#include "oci/image.h"
#include "oci/types.h"
#include "util/error.h"

namespace distill::oci {
namespace {

TEST(OciJsonChecks, DiffIdsMustBeAnArrayOfStrings) {
  auto ids = [](const char* config) {
    return error_of([&] { config_diff_ids(nlohmann::json::parse(config), "cfg"); });
  };
  EXPECT_EQ(ids(R"({"rootfs":{"diff_ids":[1]}})"), "cfg: rootfs.diff_ids[0] is not a string");
  EXPECT_EQ(ids(R"({"rootfs":{"diff_ids":"x"}})"), "cfg: rootfs.diff_ids is not an array");
  EXPECT_EQ(ids(R"({"rootfs":"x"})"), "cfg: \"rootfs\" is not an object");
  EXPECT_EQ(ids(R"([1])"), "cfg is not a JSON object");
  EXPECT_EQ(config_diff_ids(nlohmann::json::parse(R"({"os":"linux"})"), "cfg").size(), 0u);
  auto ok = config_diff_ids(nlohmann::json::parse(R"({"rootfs":{"diff_ids":["a","b"]}})"), "c");
  EXPECT_EQ(ok, (std::vector<std::string>{"a", "b"}));
}

TEST(OciJsonChecks, StringFieldsOfTheWrongTypeAreErrors) {
  EXPECT_EQ(json_string(nlohmann::json::parse(R"({"os":"linux"})"), "os", "d", "cfg"), "linux");
  EXPECT_EQ(json_string(nlohmann::json::parse(R"({})"), "os", "d", "cfg"), "d");
  EXPECT_EQ(json_string(nlohmann::json::parse(R"([])"), "os", "d", "cfg"), "d");
  EXPECT_EQ(error_of([] { json_string(nlohmann::json::parse(R"({"os":1})"), "os", "", "cfg"); }),
            "cfg: \"os\" is not a string");
}

// The images the fuzzer built: manifest and config as the reader sees them.
TEST(OciJsonChecks, ImageWithBadConfigFailsWithAnError) {
  std::string manifest = R"({"schemaVersion":2,"mediaType":5,"config":{},"layers":[]})";
  MemoryImage bad_platform(manifest, R"({"architecture":64,"os":"linux"})", {});
  EXPECT_EQ(error_of([&] { bad_platform.platform(); }),
            "image config: \"architecture\" is not a string");
  EXPECT_EQ(error_of([&] { bad_platform.manifest_media_type(); }),
            "image manifest: \"mediaType\" is not a string");
  MemoryImage bad_rootfs(manifest, R"({"rootfs":"x"})", {});
  EXPECT_EQ(error_of([&] { validate_image(bad_rootfs, "img"); }),
            "img config: \"rootfs\" is not an object");
}

}  // namespace
}  // namespace distill::oci
