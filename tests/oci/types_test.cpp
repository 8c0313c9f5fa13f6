#include "oci/types.h"

#include <gtest/gtest.h>

#include "error_of.h"
#include "util/error.h"

namespace distill::oci {

namespace {

const std::string kDigest =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace

TEST(Descriptor, ToJsonHasOnlySetFields) {
  Descriptor d;
  d.media_type = kOciManifest;
  d.digest = kDigest;
  d.size = 42;
  EXPECT_EQ(canonical_json(d.to_json()),
            "{\"digest\":\"" + kDigest + "\",\"mediaType\":\"" + kOciManifest + "\",\"size\":42}");
}

TEST(Descriptor, RoundTripWithAnnotationsAndPlatform) {
  Descriptor d;
  d.media_type = kOciManifest;
  d.digest = kDigest;
  d.size = 1234567890123;
  d.annotations[kRefNameAnnotation] = "static:nonroot";
  d.platform = Platform{"linux", "arm64", "v8"};
  auto j = d.to_json();
  EXPECT_EQ(j["platform"]["variant"], "v8");
  EXPECT_EQ(j["annotations"][kRefNameAnnotation], "static:nonroot");
  Descriptor back = Descriptor::from_json(j, "test");
  EXPECT_EQ(back.media_type, d.media_type);
  EXPECT_EQ(back.digest, d.digest);
  EXPECT_EQ(back.size, d.size);
  EXPECT_EQ(back.annotations, d.annotations);
  ASSERT_TRUE(back.platform.has_value());
  EXPECT_EQ(*back.platform, *d.platform);
  EXPECT_EQ(canonical_json(back.to_json()), canonical_json(j));
}

TEST(Descriptor, NoVariantKeyWhenEmpty) {
  Descriptor d;
  d.digest = kDigest;
  d.platform = Platform{"linux", "amd64", ""};
  EXPECT_FALSE(d.to_json()["platform"].contains("variant"));
}

TEST(Descriptor, FromJsonErrorsNameTheContext) {
  using nlohmann::json;
  EXPECT_NE(error_of([] {
              Descriptor::from_json(json::array(), "index.json manifests[3]");
            }).find("index.json manifests[3]"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              Descriptor::from_json(json{{"size", 1}}, "ctx");
            }).find("digest"),
            std::string::npos);
  EXPECT_THROW(Descriptor::from_json(json{{"digest", 5}, {"size", 1}}, "ctx"), Error);
  EXPECT_THROW(Descriptor::from_json(json{{"digest", "sha256:abc"}, {"size", 1}}, "ctx"), Error);
  EXPECT_THROW(
      Descriptor::from_json(json{{"digest", "md5:" + std::string(32, 'a')}, {"size", 1}}, "ctx"),
      Error);
  EXPECT_THROW(Descriptor::from_json(json{{"digest", kDigest}}, "ctx"), Error);
  EXPECT_THROW(Descriptor::from_json(json{{"digest", kDigest}, {"size", -1}}, "ctx"), Error);
  EXPECT_THROW(Descriptor::from_json(json{{"digest", kDigest}, {"size", "12"}}, "ctx"), Error);
  EXPECT_THROW(Descriptor::from_json(json{{"digest", kDigest}, {"size", 1.5}}, "ctx"), Error);
  EXPECT_THROW(
      Descriptor::from_json(json{{"digest", kDigest}, {"size", 1}, {"mediaType", 7}}, "ctx"),
      Error);
}

TEST(Descriptor, UppercaseHexDigestIsRefused) {
  std::string upper = "sha256:" + std::string(64, 'A');
  EXPECT_THROW(Descriptor::from_json(nlohmann::json{{"digest", upper}, {"size", 1}}, "ctx"), Error);
}

TEST(Platform, ParseAndPrint) {
  EXPECT_EQ(parse_platform("linux/arm64/v8"), (Platform{"linux", "arm64", "v8"}));
  EXPECT_EQ(parse_platform("amd64"), (Platform{"linux", "amd64", ""}));
  EXPECT_EQ(parse_platform("linux/s390x").to_string(), "linux/s390x");
  EXPECT_EQ((Platform{"linux", "arm", "v7"}).to_string(), "linux/arm/v7");
  EXPECT_THROW(parse_platform(""), Error);
  EXPECT_THROW(parse_platform("linux/"), Error);
  EXPECT_THROW(parse_platform("a/b/c/d"), Error);
}

TEST(MediaTypes, Classification) {
  EXPECT_TRUE(is_index_media_type(kOciIndex));
  EXPECT_TRUE(is_index_media_type(kDockerManifestList));
  EXPECT_FALSE(is_index_media_type(kOciManifest));
  EXPECT_TRUE(is_manifest_media_type(kDockerManifest));
  EXPECT_TRUE(is_layer_media_type(kOciLayerZstd));
  EXPECT_TRUE(is_layer_media_type(kDockerLayerGzip));
  EXPECT_FALSE(is_layer_media_type(kOciConfig));
}

TEST(Json, CanonicalIsSortedAndCompact) {
  auto j = nlohmann::json::parse(R"({"b": 1, "a": {"d": [1, 2], "c": "x"}})");
  EXPECT_EQ(canonical_json(j), R"({"a":{"c":"x","d":[1,2]},"b":1})");
}

TEST(Json, ParseErrorNamesTheDocument) {
  std::string msg = error_of([] { parse_json("{\"a\": ", "layout/index.json"); });
  EXPECT_NE(msg.find("layout/index.json"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "error is not one line: " << msg;
}

}  // namespace distill::oci
