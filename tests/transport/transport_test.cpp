// The transport table: every reference kind parses to its transport, bare
// paths are recognised by content, and an oci-archive written by the sink
// reads back with the same digests (the e2e test checks skopeo both ways).
#include <gtest/gtest.h>

#include "../oci/image_fixture.h"
#include "error_of.h"
#include "transport/transport.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::transport {
namespace {

using distill::testing::layer_contents;
using distill::testing::make_image;

TEST(Transport, PrefixesNameTheirKind) {
  EXPECT_EQ(parse_reference("oci:out:v1").kind(), "oci");
  EXPECT_EQ(parse_reference("oci-archive:a.tar:v1").kind(), "oci-archive");
  EXPECT_EQ(parse_reference("oci-archive:a.tar:v1").tag, "v1");
  EXPECT_EQ(parse_reference("docker-archive:a.tar").kind(), "docker-archive");
  EXPECT_EQ(parse_reference("docker://127.0.0.1:5000/a:1").path, "127.0.0.1:5000/a:1");
  EXPECT_EQ(parse_reference("scratch").kind(), "scratch");
  EXPECT_EQ(make_reference("oci-archive", "x:y").path, "x:y");
  EXPECT_EQ(error_of([] { make_reference("tarball", "x"); }),
            "unknown image format 'tarball' (expected one of: oci, oci-archive, docker-archive)");
  EXPECT_EQ(error_of([] { parse_reference("ftp://x"); }),
            "cannot understand image reference 'ftp://x' (use oci:DIR[:TAG], "
            "oci-archive:FILE[:TAG], docker-archive:FILE, docker://HOST/REPO:TAG or a path)");
}

TEST(Transport, ScratchCannotBeWritten) {
  oci::Artifact a;
  a.image = scratch_image();
  EXPECT_EQ(error_of([&] { write(parse_reference("scratch"), a); }), "cannot copy to 'scratch'");
}

TEST(Transport, OciArchiveRoundTripAndBarePathSniffing) {
  TempDir dir;
  oci::Artifact a;
  a.image = make_image(dir.path(), {{{"etc/motd", "hi\n"}}, {{"etc/b", "b\n"}}});
  std::string tar = join_path(dir.path(), "img.tar");
  WriteOptions w;
  w.tags = {"v1", "v2"};
  EXPECT_EQ(write(parse_reference("oci-archive:" + tar), a, w).digest, a.image->digest());
  Reference bare = parse_reference(tar);
  EXPECT_EQ(bare.kind(), "oci-archive");
  EXPECT_EQ(error_of([&] { open(bare); }), tar + ": no image tagged 'latest' (tags: v1, v2)");
  oci::Artifact back = open(parse_reference("oci-archive:" + tar + ":v2"));
  ASSERT_TRUE(back.image);
  EXPECT_EQ(back.image->digest(), a.image->digest());
  EXPECT_EQ(back.image->raw_config(), a.image->raw_config());
  ASSERT_EQ(back.image->layers().size(), 2u);
  EXPECT_EQ(layer_contents(*back.image->layers()[0]).at("etc/motd"), "hi\n");
  // Copying it on keeps the digest, and a docker-archive is told apart.
  std::string docker = join_path(dir.path(), "d.tar");
  write(parse_reference("docker-archive:" + docker), back);
  EXPECT_EQ(parse_reference(docker).kind(), "docker-archive");
  EXPECT_EQ(parse_reference(dir.path()).kind(), "oci");
}

TEST(Transport, OciArchiveSinkRefusesOtherFiles) {
  TempDir dir;
  std::string other = join_path(dir.path(), "notes.txt");
  write_file_atomic(other, "keep me");
  oci::Artifact a;
  a.image = scratch_image();
  EXPECT_EQ(error_of([&] { write(parse_reference("oci-archive:" + other), a); }),
            other + " exists and is not an oci-archive; refusing to overwrite it");
  EXPECT_EQ(read_file(other), "keep me");
}

}  // namespace
}  // namespace distill::transport
