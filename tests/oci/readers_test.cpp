// The readers must not be tuned to our own writer: these tests read images
// that umoci and skopeo wrote. They need the real tools (installed on the
// project's machines); without them the tests are skipped, not faked.
#include <gtest/gtest.h>

#include <set>

#include "image_fixture.h"
#include "oci/docker_archive.h"
#include "oci/layout.h"
#include "transport/transport.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"
#include "util/sha256.h"

namespace distill::oci {

using distill::testing::Files;
using distill::testing::layer_contents;

namespace {

void run(const std::vector<std::string>& argv) {
  ProcessResult r = run_process(argv, "", 60);
  ASSERT_EQ(r.exit_code, 0) << argv[0] << " " << argv[1] << " failed: " << r.err;
}

bool have(std::initializer_list<const char*> tools) {
  for (const char* t : tools) {
    if (find_program(t).empty()) return false;
  }
  return true;
}

// Reads every layer fully: digests and sizes are verified at EOF, and the
// uncompressed tar must hash to the config's diff_id.
void check_layers(const Image& img) {
  validate_image(img, "image");
  auto ids = img.config()["rootfs"]["diff_ids"];
  auto layers = img.layers();
  ASSERT_EQ(ids.size(), layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    EXPECT_EQ(layers[i]->diff_id(), ids[i].get<std::string>());
    std::string blob = read_all(*layers[i]->open_blob());
    EXPECT_EQ(sha256_digest(blob), layers[i]->descriptor().digest);
    EXPECT_EQ(static_cast<int64_t>(blob.size()), layers[i]->descriptor().size);
    EXPECT_EQ(sha256_digest(read_all(*layers[i]->open_tar())), layers[i]->diff_id());
  }
}

// umoci builds a two-layer image: a file inserted, then a directory.
struct UmociImage : ::testing::Test {
  TempDir tmp;
  std::string layout = join_path(tmp.path(), "umoci");

  void SetUp() override {
    if (!have({"umoci", "skopeo"})) GTEST_SKIP() << "umoci/skopeo not installed";
    std::string f = join_path(tmp.path(), "hello.txt");
    write_file_atomic(f, "hello from umoci\n");
    std::string dir = join_path(tmp.path(), "tree");
    make_dirs(join_path(dir, "sub"));
    write_file_atomic(join_path(dir, "sub/deep.txt"), "deep\n");
    // unpack/edit/repack, the usual umoci workflow. (`umoci insert` in 0.4.7
    // writes layers without tar padding or end blocks, which GNU tar rejects too.)
    std::string bundle = join_path(tmp.path(), "bundle");
    std::string rootfs = join_path(bundle, "rootfs");
    run({"umoci", "init", "--layout", layout});
    run({"umoci", "new", "--image", layout + ":v1"});
    run({"umoci", "unpack", "--image", layout + ":v1", bundle});
    make_dirs(join_path(rootfs, "etc"));
    write_file_atomic(join_path(rootfs, "etc/hello.txt"), read_file(f));
    run({"umoci", "repack", "--image", layout + ":v1", bundle});
    // A second layer from a fresh unpack of the first.
    std::string bundle2 = join_path(tmp.path(), "bundle2");
    run({"umoci", "unpack", "--image", layout + ":v1", bundle2});
    make_dirs(join_path(bundle2, "rootfs/opt/tree/sub"));
    write_file_atomic(join_path(bundle2, "rootfs/opt/tree/sub/deep.txt"),
                      read_file(join_path(dir, "sub/deep.txt")));
    run({"umoci", "repack", "--image", layout + ":v1", bundle2});
    run({"umoci", "config", "--image", layout + ":v1", "--config.user=65532",
         "--config.workingdir=/opt"});
  }
};

}  // namespace

TEST_F(UmociImage, OciLayoutReadsIt) {
  OciLayout l(layout);
  EXPECT_EQ(l.tags(), (std::vector<std::string>{"v1"}));
  auto index = parse_json(read_file(join_path(layout, "index.json")), "index.json");
  ImagePtr img = l.resolve("v1").select();
  EXPECT_EQ(img->digest(), index["manifests"][0]["digest"].get<std::string>());
  EXPECT_EQ(img->config()["config"]["User"], "65532");
  EXPECT_EQ(img->config()["config"]["WorkingDir"], "/opt");
  check_layers(*img);
  ASSERT_EQ(img->layers().size(), 2u);
  EXPECT_EQ(layer_contents(*img->layers()[0]), (Files{{"etc/hello.txt", "hello from umoci\n"}}));
  EXPECT_EQ(layer_contents(*img->layers()[1]), (Files{{"opt/tree/sub/deep.txt", "deep\n"}}));
  // The same through the reference syntax every command uses.
  EXPECT_EQ(transport::open(transport::parse_reference("oci:" + layout + ":v1")).select()->digest(),
            img->digest());
}

TEST_F(UmociImage, DockerArchiveFromSkopeoReads) {
  std::string tar = join_path(tmp.path(), "skopeo.tar");
  run({"skopeo", "copy", "-q", "oci:" + layout + ":v1",
       "docker-archive:" + tar + ":umoci/test:v1"});
  ASSERT_TRUE(looks_like_docker_archive(tar));
  DockerArchive archive(tar);
  ASSERT_EQ(archive.size(), 1u);
  // skopeo writes the fully qualified name; the short one must find it too.
  EXPECT_EQ(archive.repo_tags(0), (std::vector<std::string>{"docker.io/umoci/test:v1"}));
  ImagePtr img = archive.image("umoci/test:v1");
  ImagePtr orig = OciLayout(layout).resolve("v1").select();
  check_layers(*img);
  ASSERT_EQ(img->layers().size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(img->layers()[i]->diff_id(), orig->layers()[i]->diff_id());
  }
  EXPECT_EQ(layer_contents(*img->layers()[1]), (Files{{"opt/tree/sub/deep.txt", "deep\n"}}));
  EXPECT_EQ(img->config()["config"]["User"], "65532");
  EXPECT_EQ(transport::open(transport::parse_reference("docker-archive:" + tar)).select()->digest(),
            img->digest());
}

TEST_F(UmociImage, SkopeoOciCopyOfOurArchiveReads) {
  // Our docker-archive -> skopeo -> OCI layout -> our reader.
  std::string ours = join_path(tmp.path(), "ours.tar");
  ImagePtr orig = OciLayout(layout).resolve("v1").select();
  write_docker_archive(ours, {{orig, {"ours:1"}}});
  std::string back = join_path(tmp.path(), "back");
  run({"skopeo", "copy", "-q", "docker-archive:" + ours, "oci:" + back + ":x"});
  ImagePtr img = OciLayout(back).resolve("x").select();
  check_layers(*img);
  ASSERT_EQ(img->layers().size(), 2u);
  EXPECT_EQ(img->layers()[0]->diff_id(), orig->layers()[0]->diff_id());
  EXPECT_EQ(layer_contents(*img->layers()[0]), (Files{{"etc/hello.txt", "hello from umoci\n"}}));
}

TEST_F(UmociImage, WritingIntoAUmociLayoutKeepsItsTags) {
  std::string work = join_path(tmp.path(), "work");
  make_dirs(work);
  ImagePtr ours = distill::testing::make_image(work, {{{"etc/ours", "ours"}}});
  {
    OciLayoutWriter w(layout);
    w.tag(w.write_image(*ours), "ours");
    w.commit();
  }
  EXPECT_EQ(OciLayout(layout).tags(), (std::vector<std::string>{"v1", "ours"}));
  // umoci still reads its own tag and ours from the rewritten layout.
  ProcessResult r = run_process({"umoci", "ls", "--layout", layout});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("v1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ours"), std::string::npos) << r.out;
  std::string bundle = join_path(tmp.path(), "bundle");
  r = run_process({"umoci", "raw", "unpack", "--image", layout + ":ours", bundle});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(join_path(bundle, "etc/ours")), "ours");
}

}  // namespace distill::oci
