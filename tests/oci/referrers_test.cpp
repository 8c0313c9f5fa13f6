#include "oci/referrers.h"

#include <gtest/gtest.h>

#include "error_of.h"
#include "image_fixture.h"
#include "oci/layout.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill::oci {

namespace {

Descriptor referrers_subject() {
  Descriptor d;
  d.media_type = kOciManifest;
  d.digest = sha256_digest("an image manifest");
  d.size = 17;
  d.annotations[kRefNameAnnotation] = "latest";  // not copied into the subject
  return d;
}

const char* const kSpdxDoc = R"({"spdxVersion":"SPDX-2.3","name":"x"})";

}  // namespace

TEST(Referrers, ArtifactManifestHasTypeEmptyConfigOneLayerAndSubject) {
  Attachment a{kSpdxJson, kSpdxDoc, "amd64.spdx.json"};
  ArtifactManifest m = make_artifact(referrers_subject(), a);
  nlohmann::json j = nlohmann::json::parse(m.raw);
  EXPECT_EQ(j["schemaVersion"], 2);
  EXPECT_EQ(j["mediaType"], kOciManifest);
  EXPECT_EQ(j["artifactType"], kSpdxJson);
  EXPECT_EQ(j["config"]["mediaType"], kEmptyMediaType);
  EXPECT_EQ(j["config"]["digest"],
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  EXPECT_EQ(j["config"]["size"], 2);
  ASSERT_EQ(j["layers"].size(), 1u);
  EXPECT_EQ(j["layers"][0]["mediaType"], kSpdxJson);
  EXPECT_EQ(j["layers"][0]["digest"], sha256_digest(kSpdxDoc));
  EXPECT_EQ(j["layers"][0]["annotations"]["org.opencontainers.image.title"], "amd64.spdx.json");
  EXPECT_EQ(j["subject"], nlohmann::json({{"mediaType", kOciManifest},
                                          {"digest", referrers_subject().digest},
                                          {"size", 17}}));
  EXPECT_EQ(m.descriptor.digest, sha256_digest(m.raw));
  EXPECT_EQ(m.descriptor.artifact_type, kSpdxJson);
  EXPECT_EQ(m.descriptor.to_json()["artifactType"], kSpdxJson);
  // No timestamps: the same inputs give the same manifest.
  EXPECT_EQ(make_artifact(referrers_subject(), a).raw, m.raw);
  ParsedArtifact p = parse_artifact(m.raw, "m");
  EXPECT_EQ(p.artifact_type, kSpdxJson);
  EXPECT_EQ(p.subject.digest, referrers_subject().digest);
  ASSERT_EQ(p.layers.size(), 1u);
  EXPECT_EQ(p.layers[0].digest, sha256_digest(kSpdxDoc));
}

TEST(Referrers, ParseArtifactNamesWhatIsMissing) {
  EXPECT_EQ(error_of([] { parse_artifact(R"({"schemaVersion":2,"layers":[]})", "tag x"); }),
            "tag x has no layers: it carries no document");
  // cosign's tags: an image config, the type is the layer's.
  ParsedArtifact p = parse_artifact(
      R"({"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:)" +
          std::string(64, 'a') +
          R"(","size":2},"layers":[{"mediaType":"text/spdx+json","digest":"sha256:)" +
          std::string(64, 'b') + R"(","size":5}]})",
      "c");
  EXPECT_EQ(p.artifact_type, "");
  EXPECT_EQ(p.subject.digest, "");
  EXPECT_EQ(p.layers[0].media_type, "text/spdx+json");
}

TEST(Referrers, TagSchemaName) {
  EXPECT_EQ(referrers_tag("sha256:" + std::string(64, 'f')), "sha256-" + std::string(64, 'f'));
  EXPECT_EQ(referrers_tag("sha512:" + std::string(128, 'a')), "sha512-" + std::string(64, 'a'));
  EXPECT_EQ(error_of([] { referrers_tag("nodigest"); }),
            "'nodigest' is not a digest (expected ALGORITHM:HEX)");
}

TEST(Referrers, IndexRoundTrip) {
  ArtifactManifest m = make_artifact(referrers_subject(), {kCycloneDxJson, "{}", ""});
  std::string raw = referrers_index({m.descriptor});
  nlohmann::json j = nlohmann::json::parse(raw);
  EXPECT_EQ(j["mediaType"], kOciIndex);
  auto back = parse_referrers_index(raw, "idx");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].digest, m.descriptor.digest);
  EXPECT_EQ(back[0].artifact_type, kCycloneDxJson);
  EXPECT_EQ(error_of([] { parse_referrers_index("{}", "tag sha256-x"); }),
            "tag sha256-x is not an image index (no manifests)");
}

TEST(Referrers, SniffsTheDocumentType) {
  EXPECT_EQ(sniff_artifact_type(kSpdxDoc), kSpdxJson);
  EXPECT_EQ(sniff_artifact_type(R"({"bomFormat":"CycloneDX","specVersion":"1.6"})"),
            kCycloneDxJson);
  EXPECT_EQ(sniff_artifact_type(R"({"_type":"https://in-toto.io/Statement/v1"})"), kInTotoJson);
  EXPECT_EQ(sniff_artifact_type(R"({"scan":"clean"})"), "");
  EXPECT_EQ(sniff_artifact_type("not json"), "");
  EXPECT_EQ(sbom_format_of("application/vnd.cyclonedx+json; version=1.6"), "cyclonedx-json");
  EXPECT_EQ(sbom_format_of("text/spdx+json"), "spdx-json");
  EXPECT_EQ(sbom_format_of(kInTotoJson), "");
}

TEST(Referrers, LayoutKeepsArtifactsBesideTheImageUntagged) {
  TempDir tmp;
  std::string work = join_path(tmp.path(), "work"), out = join_path(tmp.path(), "layout");
  make_dirs(work);
  ImagePtr one = distill::testing::make_image(work, {{{"etc/one", "1"}}});
  {
    OciLayoutWriter w(out);
    w.tag(w.write_image(*one), "latest");
    w.commit();
  }
  ArtifactManifest m = make_artifact(one->descriptor(), {kSpdxJson, kSpdxDoc, ""});
  {
    OciLayoutWriter w(out);
    w.attach(m.descriptor, m.raw, m.blob, kSpdxDoc);
    w.attach(m.descriptor, m.raw, m.blob, kSpdxDoc);  // listed once
    w.commit();
  }
  OciLayout layout(out);
  ASSERT_EQ(layout.entries().size(), 2u);
  EXPECT_EQ(layout.tags(), std::vector<std::string>{"latest"});
  // An untagged reference still means the one image.
  EXPECT_EQ(layout.resolve("").image->digest(), one->digest());
  auto refs = layout.referrers(one->digest());
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].digest, m.descriptor.digest);
  EXPECT_EQ(refs[0].artifact_type, kSpdxJson);
  EXPECT_EQ(layout.read_blob(m.blob), kSpdxDoc);

  // The image rebuilt under the same tag: the old one's artifact goes with it.
  ImagePtr two = distill::testing::make_image(work, {{{"etc/two", "2"}}});
  {
    OciLayoutWriter w(out);
    w.tag(w.write_image(*two), "latest");
    w.commit();
  }
  OciLayout after(out);
  ASSERT_EQ(after.entries().size(), 1u);
  EXPECT_EQ(after.entries()[0].digest, two->digest());
  EXPECT_FALSE(path_exists(after.blob_path(m.descriptor.digest)));
  EXPECT_FALSE(path_exists(after.blob_path(one->digest())));
}

}  // namespace distill::oci
