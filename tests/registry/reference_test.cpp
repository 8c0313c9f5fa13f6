#include "registry/reference.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace distill::registry {
namespace {

TEST(ImageRef, DockerHubDefaults) {
  ImageRef r = parse_image_ref("debian");
  EXPECT_EQ(r.registry, "docker.io");
  EXPECT_EQ(r.repository, "library/debian");
  EXPECT_EQ(r.tag, "latest");
  EXPECT_EQ(r.api_host(), "registry-1.docker.io");
  EXPECT_EQ(parse_image_ref("docker://index.docker.io/org/app:1").to_string(),
            "docker.io/org/app:1");
}

TEST(ImageRef, HostPortTagDigest) {
  std::string d = "sha256:" + std::string(64, 'a');
  ImageRef r = parse_image_ref("docker://127.0.0.1:5000/a/b:v1.2@" + d);
  EXPECT_EQ(r.registry, "127.0.0.1:5000");
  EXPECT_EQ(r.repository, "a/b");
  EXPECT_EQ(r.tag, "v1.2");
  EXPECT_EQ(r.digest, d);
  EXPECT_EQ(r.reference(), d);
  EXPECT_EQ(r.api_host(), "127.0.0.1:5000");
  ImageRef p = parse_image_ref("localhost:5000/app");  // port, not tag
  EXPECT_EQ(p.registry, "localhost:5000");
  EXPECT_EQ(p.tag, "latest");
  ImageRef l = parse_image_ref("localhost/app@" + d);
  EXPECT_EQ(l.registry, "localhost");
  EXPECT_EQ(l.tag, "");
}

TEST(ImageRef, Rejects) {
  EXPECT_THROW(parse_image_ref("docker://"), Error);
  EXPECT_THROW(parse_image_ref("Upper/case"), Error);
  EXPECT_THROW(parse_image_ref("a/b:bad tag"), Error);
  EXPECT_THROW(parse_image_ref("a/b@sha256:abc"), Error);
  EXPECT_THROW(parse_image_ref("host.io/a//b"), Error);
  try {
    parse_image_ref("host.io/a-/b");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'a-'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace distill::registry
