#include "oci/docker_archive.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>

#include "archive/tar_writer.h"
#include "error_of.h"
#include "image_fixture.h"
#include "transport/transport.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill::oci {

using distill::testing::Files;
using distill::testing::layer_contents;
using distill::testing::list_dir;
using distill::testing::make_image;

namespace {

// Builds a tar from (name, content) members, for hand-made archives.
std::string make_tar(const std::vector<std::pair<std::string, std::string>>& members) {
  StringSink sink;
  TarWriter w(sink);
  for (const auto& [name, content] : members) {
    TarEntry e;
    e.path = name;
    e.mode = 0644;
    w.add(e, content);
  }
  w.finish();
  return sink.data();
}

struct ArchiveFixture : ::testing::Test {
  TempDir tmp;
  std::string work = join_path(tmp.path(), "work");
  std::string out = join_path(tmp.path(), "image.tar");
  ImagePtr img;

  void SetUp() override {
    make_dirs(work);
    img = make_image(work, {{{"etc/a", "alpha"}}, {{"usr/bin/x", std::string(100000, 'x')}}});
    write_docker_archive(out, {{img, {"example.com/app:1.0", "app:latest"}}});
  }
};

}  // namespace

TEST_F(ArchiveFixture, RoundTrip) {
  ASSERT_TRUE(looks_like_docker_archive(out));
  DockerArchive archive(out);
  ASSERT_EQ(archive.size(), 1u);
  EXPECT_EQ(archive.repo_tags(0), (std::vector<std::string>{"example.com/app:1.0", "app:latest"}));
  ImagePtr back = archive.image("");
  EXPECT_EQ(back->raw_config(), img->raw_config());
  validate_image(*back, "archive");
  auto layers = back->layers();
  ASSERT_EQ(layers.size(), 2u);
  for (size_t i = 0; i < layers.size(); ++i) {
    EXPECT_EQ(layers[i]->diff_id(), img->layers()[i]->diff_id());
    // docker save stores layers uncompressed, so digest == diff_id.
    EXPECT_EQ(layers[i]->descriptor().digest, layers[i]->diff_id());
    EXPECT_EQ(layers[i]->descriptor().media_type, kOciLayerTar);
    EXPECT_EQ(sha256_digest(read_all(*layers[i]->open_blob())), layers[i]->diff_id());
  }
  EXPECT_EQ(layer_contents(*layers[0]), (Files{{"etc/a", "alpha"}}));
  EXPECT_EQ(layer_contents(*layers[1]), (Files{{"usr/bin/x", std::string(100000, 'x')}}));
  EXPECT_EQ(archive.image("app")->raw_config(), img->raw_config());
  EXPECT_EQ(archive.image("example.com/app:1.0")->raw_config(), img->raw_config());
  EXPECT_THROW(archive.image("other:tag"), Error);
}

TEST_F(ArchiveFixture, MembersFollowDockerSave) {
  TarReader r(std::make_unique<FileSource>(out), out);
  std::map<std::string, std::string> members;
  TarEntry e;
  while (r.next(e)) members[e.path] = r.read_all_data();
  std::string config_name = sha256_hex(img->raw_config()) + ".json";
  ASSERT_TRUE(members.count(config_name));
  auto manifest = parse_json(members.at("manifest.json"), "manifest.json");
  ASSERT_EQ(manifest.size(), 1u);
  EXPECT_EQ(manifest[0]["Config"], config_name);
  EXPECT_EQ(manifest[0]["Layers"][0], digest_hex(img->layers()[0]->diff_id()) + ".tar");
  auto repos = parse_json(members.at("repositories"), "repositories");
  EXPECT_EQ(repos["app"]["latest"], digest_hex(img->layers()[1]->diff_id()));
  EXPECT_EQ(repos["example.com/app"]["1.0"], digest_hex(img->layers()[1]->diff_id()));
}

TEST_F(ArchiveFixture, WritingIsDeterministicAndOverwritesAnArchive) {
  std::string first = read_file(out);
  write_docker_archive(out, {{img, {"example.com/app:1.0", "app:latest"}}});
  EXPECT_EQ(read_file(out), first);
  // Also from an archive source (uncompressed layers) to a second file.
  std::string copy = join_path(tmp.path(), "copy.tar");
  DockerArchive archive(out);
  write_docker_archive(copy, {{archive.image(""), {"example.com/app:1.0", "app:latest"}}});
  EXPECT_EQ(read_file(copy), first);
  EXPECT_EQ(list_dir(tmp.path()), (std::vector<std::string>{"copy.tar", "image.tar", "work"}));
}

TEST_F(ArchiveFixture, RefusesToOverwriteOtherFiles) {
  std::string text = join_path(tmp.path(), "notes.txt");
  write_file_atomic(text, "my notes\n");
  std::string msg = error_of([&] { write_docker_archive(text, {{img, {"a:b"}}}); });
  EXPECT_NE(msg.find("not a docker-archive"), std::string::npos) << msg;
  EXPECT_EQ(read_file(text), "my notes\n");
  // A tar that is not a docker-archive is refused as well.
  std::string other = join_path(tmp.path(), "other.tar");
  write_file_atomic(other, make_tar({{"hello.txt", "hi"}}));
  EXPECT_THROW(write_docker_archive(other, {{img, {"a:b"}}}), Error);
  std::string dir = join_path(tmp.path(), "dir");
  make_dirs(dir);
  EXPECT_THROW(write_docker_archive(dir, {{img, {"a:b"}}}), Error);
  EXPECT_EQ(list_dir(tmp.path()),
            (std::vector<std::string>{"dir", "image.tar", "notes.txt", "other.tar", "work"}));
}

TEST_F(ArchiveFixture, FailedWriteLeavesNothing) {
  // A layer whose blob vanished: the write fails midway.
  ImagePtr broken = make_image(work, {{{"f", "data"}}});
  auto* fl = dynamic_cast<const FileLayer*>(broken->layers()[0].get());
  ASSERT_NE(fl, nullptr);
  ::unlink(fl->path().c_str());
  std::string target = join_path(tmp.path(), "new.tar");
  EXPECT_THROW(write_docker_archive(target, {{broken, {"x:y"}}}), Error);
  EXPECT_FALSE(path_exists(target));
  EXPECT_THROW(write_docker_archive(out, {{broken, {"x:y"}}}), Error);
  DockerArchive still(out);  // the old archive is untouched
  EXPECT_EQ(still.image("")->raw_config(), img->raw_config());
  EXPECT_EQ(list_dir(tmp.path()), (std::vector<std::string>{"image.tar", "work"}));
}

TEST_F(ArchiveFixture, TruncatedArchiveIsAnError) {
  std::string bytes = read_file(out);
  for (size_t cut : {size_t{100}, size_t{1500}, bytes.size() / 2, bytes.size() - 2000}) {
    std::string p = join_path(tmp.path(), "cut-" + std::to_string(cut) + ".tar");
    write_file_atomic(p, bytes.substr(0, cut));
    EXPECT_THROW(DockerArchive a(p), Error) << "cut at " << cut;
    EXPECT_THROW(transport::open(transport::parse_reference("docker-archive:" + p)), Error);
  }
}

TEST_F(ArchiveFixture, GarbledArchiveIsAnError) {
  std::string bytes = read_file(out);
  for (size_t i = 0; i < 600; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x3c);
  std::string p = join_path(tmp.path(), "garbled.tar");
  write_file_atomic(p, bytes);
  EXPECT_FALSE(looks_like_docker_archive(p));
  EXPECT_THROW(DockerArchive a(p), Error);
  std::string text = join_path(tmp.path(), "text");
  write_file_atomic(text, "this is not a tarball at all\n");
  EXPECT_THROW(DockerArchive a(text), Error);
  std::string empty = join_path(tmp.path(), "empty");
  write_file_atomic(empty, "");
  EXPECT_THROW(DockerArchive a(empty), Error);
}

TEST(DockerArchive, HandMadeArchiveErrors) {
  TempDir tmp;
  std::string layer = make_tar({{"f", "content"}});
  std::string diff_id = sha256_digest(layer);
  auto config = [](const std::vector<std::string>& ids) {
    return nlohmann::json{{"architecture", "amd64"},
                          {"os", "linux"},
                          {"rootfs", {{"type", "layers"}, {"diff_ids", ids}}}}
        .dump();
  };
  auto manifest = [](const std::vector<std::string>& layers) {
    return nlohmann::json::array(
               {{{"Config", "c.json"}, {"RepoTags", {"x:y"}}, {"Layers", layers}}})
        .dump();
  };
  auto check = [&](const std::string& name,
                   const std::vector<std::pair<std::string, std::string>>& members,
                   const std::string& want) {
    std::string p = join_path(tmp.path(), name);
    write_file_atomic(p, make_tar(members));
    std::string msg = error_of([&] { DockerArchive a(p); });
    EXPECT_NE(msg.find(want), std::string::npos) << name << ": " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << name << ": " << msg;
  };
  // Sanity: the well-formed one reads.
  std::string good = join_path(tmp.path(), "good.tar");
  write_file_atomic(good, make_tar({{"l.tar", layer},
                                    {"c.json", config({diff_id})},
                                    {"manifest.json", manifest({"l.tar"})}}));
  EXPECT_EQ(layer_contents(*DockerArchive(good).image("x:y")->layers()[0]),
            (Files{{"f", "content"}}));

  check("no-manifest.tar", {{"l.tar", layer}, {"c.json", config({diff_id})}}, "no manifest.json");
  check("bad-json.tar", {{"manifest.json", "[{\"Config\": "}}, "not valid JSON");
  check("empty-manifest.tar", {{"manifest.json", "[]"}}, "non-empty array");
  check("no-config.tar", {{"l.tar", layer}, {"manifest.json", manifest({"l.tar"})}}, "c.json");
  check("no-layer.tar", {{"c.json", config({diff_id})}, {"manifest.json", manifest({"l.tar"})}},
        "l.tar is missing");
  check("count.tar",
        {{"l.tar", layer},
         {"c.json", config({diff_id, diff_id})},
         {"manifest.json", manifest({"l.tar"})}},
        "diff_ids");
  check("wrong-diff-id.tar",
        {{"l.tar", layer},
         {"c.json", config({sha256_digest("other")})},
         {"manifest.json", manifest({"l.tar"})}},
        "diff_id");
  check(
      "escape.tar",
      {{"l.tar", layer}, {"c.json", config({diff_id})}, {"manifest.json", manifest({"../l.tar"})}},
      "..");
}

}  // namespace distill::oci
