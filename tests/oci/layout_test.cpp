#include "oci/layout.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

#include "error_of.h"
#include "image_fixture.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill::oci {

using distill::testing::Files;
using distill::testing::layer_contents;
using distill::testing::list_dir;
using distill::testing::make_image;

namespace {

Descriptor desc(const char* media_type, const std::string& data) {
  Descriptor d;
  d.media_type = media_type;
  d.digest = sha256_digest(data);
  d.size = static_cast<int64_t>(data.size());
  return d;
}

// A layout with two tagged images ("a" and "b") and a work dir for blobs.
struct LayoutFixture : ::testing::Test {
  TempDir tmp;
  std::string work = join_path(tmp.path(), "work");
  std::string out = join_path(tmp.path(), "layout");
  ImagePtr a, b;

  void SetUp() override {
    make_dirs(work);
    a = make_image(work, {{{"etc/a", "alpha"}}, {{"usr/bin/x", "x-binary"}}});
    b = make_image(work, {{{"etc/b", "bravo"}}}, Compression::kZstd);
    OciLayoutWriter w(out);
    w.tag(w.write_image(*a), "a");
    w.tag(w.write_image(*b), "b");
    w.commit();
  }

  std::string index_path() const { return join_path(out, "index.json"); }
  std::string blob(const std::string& digest) const {
    return join_path(out, "blobs/sha256/" + digest_hex(digest));
  }
  nlohmann::json index() const { return parse_json(read_file(index_path()), "index"); }
  void set_index(const nlohmann::json& j) const {
    ::unlink(index_path().c_str());
    write_file_atomic(index_path(), j.dump());
  }
  void overwrite(const std::string& path, const std::string& data) const {
    ::unlink(path.c_str());
    write_file_atomic(path, data);
  }
};

}  // namespace

TEST_F(LayoutFixture, ReadsBackWhatWasWritten) {
  ASSERT_TRUE(is_oci_layout(out));
  OciLayout layout(out);
  EXPECT_EQ(layout.tags(), (std::vector<std::string>{"a", "b"}));
  ImagePtr ra = layout.resolve("a").select();
  EXPECT_EQ(ra->digest(), a->digest());
  EXPECT_EQ(ra->raw_config(), a->raw_config());
  auto layers = ra->layers();
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layer_contents(*layers[0]), (Files{{"etc/a", "alpha"}}));
  EXPECT_EQ(layer_contents(*layers[1]), (Files{{"usr/bin/x", "x-binary"}}));
  EXPECT_EQ(layers[0]->diff_id(), a->layers()[0]->diff_id());
  ImagePtr rb = layout.resolve("b").select();
  EXPECT_EQ(rb->layers()[0]->descriptor().media_type, kOciLayerZstd);
  EXPECT_EQ(layer_contents(*rb->layers()[0]), (Files{{"etc/b", "bravo"}}));
  validate_image(*rb, "b");
}

TEST_F(LayoutFixture, FilesFollowTheSpec) {
  EXPECT_EQ(read_file(join_path(out, "oci-layout")), "{\"imageLayoutVersion\":\"1.0.0\"}");
  auto j = index();
  EXPECT_EQ(j["schemaVersion"], 2);
  EXPECT_EQ(j["mediaType"], kOciIndex);
  ASSERT_EQ(j["manifests"].size(), 2u);
  EXPECT_EQ(j["manifests"][0]["annotations"][kRefNameAnnotation], "a");
  EXPECT_EQ(j["manifests"][0]["digest"], a->digest());
  // Every blob is stored under its own digest.
  for (const auto& name : list_dir(join_path(out, "blobs/sha256"))) {
    EXPECT_EQ(sha256_file_hex(join_path(out, "blobs/sha256/" + name)), name);
  }
  // The layout has nothing but the spec's files.
  EXPECT_EQ(list_dir(out), (std::vector<std::string>{"blobs", "index.json", "oci-layout"}));
}

TEST_F(LayoutFixture, UnknownTagListsTheTags) {
  OciLayout layout(out);
  std::string msg = error_of([&] { layout.resolve("c"); });
  EXPECT_NE(msg.find("'c'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("a, b"), std::string::npos) << msg;
  // Two entries and no tag: "latest" is looked for.
  EXPECT_NE(error_of([&] { layout.resolve(""); }).find("latest"), std::string::npos);
}

TEST_F(LayoutFixture, MissingOciLayoutFile) {
  ::unlink(join_path(out, "oci-layout").c_str());
  EXPECT_FALSE(is_oci_layout(out));
  EXPECT_NE(error_of([&] { OciLayout l(out); }).find("oci-layout"), std::string::npos);
}

TEST_F(LayoutFixture, NotADirectory) {
  EXPECT_THROW(OciLayout l(join_path(out, "index.json")), Error);
  EXPECT_THROW(OciLayout l(join_path(tmp.path(), "nope")), Error);
}

TEST_F(LayoutFixture, MissingIndexJson) {
  ::unlink(index_path().c_str());
  EXPECT_NE(error_of([&] { OciLayout l(out); }).find("index.json"), std::string::npos);
}

TEST_F(LayoutFixture, GarbledIndexJson) {
  std::string text = read_file(index_path());
  overwrite(index_path(), text.substr(0, text.size() / 2));
  std::string msg = error_of([&] { OciLayout l(out); });
  EXPECT_NE(msg.find("index.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("not valid JSON"), std::string::npos) << msg;
}

TEST_F(LayoutFixture, IndexJsonWithoutManifests) {
  set_index({{"schemaVersion", 2}});
  EXPECT_NE(error_of([&] { OciLayout l(out); }).find("manifests"), std::string::npos);
  set_index({{"schemaVersion", 2}, {"manifests", "nope"}});
  EXPECT_THROW(OciLayout l(out), Error);
  set_index(nlohmann::json::array());
  EXPECT_THROW(OciLayout l(out), Error);
}

TEST_F(LayoutFixture, IndexEntryWithBadDigest) {
  auto j = index();
  j["manifests"][1]["digest"] = "sha256:1234";
  set_index(j);
  std::string msg = error_of([&] { OciLayout l(out); });
  EXPECT_NE(msg.find("manifests[1]"), std::string::npos) << msg;
}

TEST_F(LayoutFixture, GarbledOciLayoutFile) {
  overwrite(join_path(out, "oci-layout"), "{\"imageLayoutVers");
  EXPECT_THROW(OciLayout l(out), Error);
  overwrite(join_path(out, "oci-layout"), "{}");
  EXPECT_THROW(OciLayout l(out), Error);
}

TEST_F(LayoutFixture, MissingManifestBlob) {
  ::unlink(blob(a->digest()).c_str());
  OciLayout layout(out);
  std::string msg = error_of([&] { layout.resolve("a"); });
  EXPECT_NE(msg.find(a->digest()), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing"), std::string::npos) << msg;
  EXPECT_NO_THROW(layout.resolve("b"));
}

TEST_F(LayoutFixture, EmptyManifestBlobIsAnError) {
  // A tag pointing at a zero-byte manifest: the reader must report a bad
  // manifest (it once fetched through a descriptor it did not have).
  overwrite(blob(sha256_digest("")), "");
  auto j = index();
  j["manifests"][0]["digest"] = sha256_digest("");
  j["manifests"][0]["size"] = 0;
  set_index(j);
  OciLayout layout(out);
  std::string msg = error_of([&] { layout.resolve("a"); });
  EXPECT_NE(msg.find("manifest"), std::string::npos) << msg;
}

TEST_F(LayoutFixture, MissingConfigBlob) {
  ::unlink(blob(sha256_digest(a->raw_config())).c_str());
  OciLayout layout(out);
  EXPECT_NE(error_of([&] { layout.resolve("a"); }).find("missing"), std::string::npos);
}

TEST_F(LayoutFixture, MissingLayerBlob) {
  std::string d = a->layers()[1]->descriptor().digest;
  ::unlink(blob(d).c_str());
  OciLayout layout(out);
  std::string msg = error_of([&] { layout.resolve("a"); });
  EXPECT_NE(msg.find(d), std::string::npos) << msg;
}

TEST_F(LayoutFixture, SizeMismatchInIndex) {
  auto j = index();
  j["manifests"][0]["size"] = j["manifests"][0]["size"].get<int64_t>() + 1;
  set_index(j);
  OciLayout layout(out);
  std::string msg = error_of([&] { layout.resolve("a"); });
  EXPECT_NE(msg.find("bytes, expected"), std::string::npos) << msg;
}

TEST_F(LayoutFixture, DigestMismatchOfManifest) {
  // Same length, different bytes: only the digest check can tell.
  std::string m = read_file(blob(a->digest()));
  size_t pos = m.find("\"schemaVersion\":2");
  ASSERT_NE(pos, std::string::npos);
  m.replace(pos, 17, "\"schemaVersion\":3");
  overwrite(blob(a->digest()), m);
  OciLayout layout(out);
  std::string msg = error_of([&] { layout.resolve("a"); });
  EXPECT_NE(msg.find("corrupt"), std::string::npos) << msg;
}

TEST_F(LayoutFixture, CorruptLayerIsCaughtWhenRead) {
  std::string d = a->layers()[0]->descriptor().digest;
  std::string bytes = read_file(blob(d));
  bytes[bytes.size() / 2] ^= 0x01;
  overwrite(blob(d), bytes);
  OciLayout layout(out);
  ImagePtr img = layout.resolve("a").select();
  EXPECT_THROW(read_all(*img->layers()[0]->open_blob()), Error);
  EXPECT_THROW(layer_contents(*img->layers()[0]), Error);
}

TEST_F(LayoutFixture, TruncatedLayerIsCaughtWhenRead) {
  std::string d = a->layers()[0]->descriptor().digest;
  std::string bytes = read_file(blob(d));
  overwrite(blob(d), bytes.substr(0, bytes.size() - 10));
  OciLayout layout(out);
  ImagePtr img = layout.resolve("a").select();
  std::string msg = error_of([&] { read_all(*img->layers()[0]->open_blob()); });
  EXPECT_NE(msg.find("bytes, expected"), std::string::npos) << msg;
}

TEST_F(LayoutFixture, DiffIdCountMismatch) {
  // A new config with one diff_id too few, and a manifest pointing at it.
  auto cfg = parse_json(a->raw_config(), "config");
  cfg["rootfs"]["diff_ids"].erase(1);
  std::string config = cfg.dump();
  std::string manifest = make_manifest(config, a->layers());
  OciLayoutWriter w(out);
  w.write_blob(desc(kOciConfig, config), config);
  Descriptor md = desc(kOciManifest, manifest);
  w.write_blob(md, manifest);
  w.tag(md, "short");
  w.commit();
  OciLayout layout(out);
  std::string msg = error_of([&] { layout.resolve("short"); });
  EXPECT_NE(msg.find("diff_ids"), std::string::npos) << msg;
}

TEST_F(LayoutFixture, AddingATagKeepsTheOthers) {
  ImagePtr c = make_image(work, {{{"etc/c", "charlie"}}});
  {
    OciLayoutWriter w(out);
    w.tag(w.write_image(*c), "c");
    w.commit();
  }
  OciLayout layout(out);
  EXPECT_EQ(layout.tags(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(layout.resolve("a").select()->digest(), a->digest());
  EXPECT_EQ(layout.resolve("b").select()->digest(), b->digest());
  EXPECT_EQ(layout.resolve("c").select()->digest(), c->digest());
  // The old images' blobs are all still there and intact.
  EXPECT_EQ(layer_contents(*layout.resolve("a").select()->layers()[1]),
            (Files{{"usr/bin/x", "x-binary"}}));
  EXPECT_EQ(list_dir(tmp.path()), (std::vector<std::string>{"layout", "work"}));
}

TEST_F(LayoutFixture, RetaggingReplacesInPlace) {
  ImagePtr c = make_image(work, {{{"etc/c", "charlie"}}});
  {
    OciLayoutWriter w(out);
    w.tag(w.write_image(*c), "a");
    w.commit();
  }
  OciLayout layout(out);
  EXPECT_EQ(layout.tags(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(layout.resolve("a").select()->digest(), c->digest());
  EXPECT_EQ(layout.resolve("b").select()->digest(), b->digest());
}

TEST_F(LayoutFixture, RetaggingDropsTheBlobsOnlyTheOldImageHad) {
  auto before = list_dir(join_path(out, "blobs/sha256"));
  std::string old_manifest = digest_hex(a->digest());
  ImagePtr c = make_image(work, {{{"etc/c", "charlie"}}});
  {
    OciLayoutWriter w(out);
    w.tag(w.write_image(*c), "a");
    w.commit();
  }
  auto after = list_dir(join_path(out, "blobs/sha256"));
  // a had 2 layers + config + manifest, c has 1 + 1 + 1; b's blobs stay.
  EXPECT_EQ(after.size(), before.size() - 1);
  EXPECT_EQ(std::count(after.begin(), after.end(), old_manifest), 0);
  EXPECT_EQ(layer_contents(*OciLayout(out).resolve("b").select()->layers()[0]),
            (Files{{"etc/b", "bravo"}}));
}

TEST_F(LayoutFixture, CollectGarbageRemovesOnlyUnreachableBlobs) {
  nlohmann::json j = index();
  j["manifests"].erase(j["manifests"].begin());  // drop tag a by hand, as another tool might
  set_index(j);
  OciLayout layout(out);
  GcResult dry = collect_layout_garbage(out, layout.entries(), true);
  EXPECT_EQ(dry.removed.size(), 4u);  // a's two layers, config and manifest
  EXPECT_EQ(list_dir(join_path(out, "blobs/sha256")).size(), 7u);
  GcResult r = collect_layout_garbage(out, layout.entries(), false);
  EXPECT_EQ(r.removed.size(), 4u);
  EXPECT_EQ(r.bytes, dry.bytes);
  EXPECT_EQ(list_dir(join_path(out, "blobs/sha256")).size(), 3u);
  EXPECT_EQ(layer_contents(*OciLayout(out).resolve("b").select()->layers()[0]),
            (Files{{"etc/b", "bravo"}}));
  EXPECT_TRUE(collect_layout_garbage(out, layout.entries(), false).removed.empty());
}

TEST_F(LayoutFixture, CollectGarbageRefusesWhenAManifestIsMissing) {
  ::unlink(blob(b->digest()).c_str());
  OciLayout layout(out);
  EXPECT_THROW(collect_layout_garbage(out, layout.entries(), false), Error);
  EXPECT_EQ(list_dir(join_path(out, "blobs/sha256")).size(), 6u);
}

TEST_F(LayoutFixture, DirectoriesFollowTheUmask) {
  mode_t old = ::umask(027);
  {
    OciLayoutWriter w(out);
    w.tag(w.write_image(*a), "again");
    w.commit();
  }
  ::umask(old);
  struct stat st;
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
}

TEST_F(LayoutFixture, UncommittedWriterLeavesNoTrace) {
  std::string before = read_file(index_path());
  auto blobs_before = list_dir(join_path(out, "blobs/sha256"));
  {
    ImagePtr c = make_image(work, {{{"etc/c", "charlie"}}});
    OciLayoutWriter w(out);
    w.tag(w.write_image(*c), "c");
    // While the writer works, readers still see the old layout.
    EXPECT_EQ(OciLayout(out).tags(), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(list_dir(tmp.path()).size(), 3u);  // layout, work, staging dir
    // destroyed without commit(): as if the build failed
  }
  EXPECT_EQ(read_file(index_path()), before);
  EXPECT_EQ(list_dir(join_path(out, "blobs/sha256")), blobs_before);
  EXPECT_EQ(list_dir(tmp.path()), (std::vector<std::string>{"layout", "work"}));
}

TEST_F(LayoutFixture, CommitSwapsAtomically) {
  struct stat before_st, after_st;
  ASSERT_EQ(::stat(out.c_str(), &before_st), 0);
  {
    OciLayoutWriter w(out);
    w.tag(w.write_image(*a), "again");
    w.commit();
  }
  ASSERT_EQ(::stat(out.c_str(), &after_st), 0);
  // A new directory took the old one's place (not edited in place).
  EXPECT_NE(before_st.st_ino, after_st.st_ino);
  EXPECT_EQ(OciLayout(out).tags(), (std::vector<std::string>{"a", "b", "again"}));
  EXPECT_EQ(list_dir(tmp.path()), (std::vector<std::string>{"layout", "work"}));
}

TEST_F(LayoutFixture, WriteBlobChecksTheDescriptor) {
  OciLayoutWriter w(out);
  Descriptor d = desc(kOciConfig, "right");
  EXPECT_THROW(w.write_blob(d, std::string("wrong")), Error);
  EXPECT_FALSE(w.has_blob(d.digest));
  w.write_blob(d, std::string("right"));
  EXPECT_TRUE(w.has_blob(d.digest));
}

std::string blob_path(const std::string& layout, const std::string& digest) {
  return join_path(layout, "blobs/sha256/" + digest_hex(digest));
}

// A layer that says its file is verified is hard-linked (a build's blobs, a
// pull's downloads: no second copy and hash); any other is copied and hashed.
TEST(OciLayoutWriter, LinksVerifiedFilesAndCopiesTheRest) {
  TempDir tmp;
  std::string out = join_path(tmp.path(), "out");
  auto inode = [](const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_ino;
  };
  std::string verified = join_path(tmp.path(), "verified"), plain = join_path(tmp.path(), "plain");
  write_file_atomic(verified, "verified bytes");
  write_file_atomic(plain, "plain bytes");
  auto linked = std::make_shared<FileLayer>(verified, desc(kOciLayerGzip, "verified bytes"),
                                            "sha256:x", true);
  auto copied =
      std::make_shared<FileLayer>(plain, desc(kOciLayerGzip, "plain bytes"), "sha256:y", false);
  EXPECT_EQ(linked->verified_file(), verified);
  EXPECT_EQ(copied->verified_file(), "");
  std::vector<LayerPtr> layers{linked, copied};
  std::string config = R"({"rootfs":{"type":"layers","diff_ids":["sha256:x","sha256:y"]}})";
  MemoryImage img(make_manifest(config, layers), config, layers);
  OciLayoutWriter w(out);
  w.tag(w.write_image(img), "latest");
  w.commit();
  std::string linked_blob = blob_path(out, linked->descriptor().digest);
  std::string copied_blob = blob_path(out, copied->descriptor().digest);
  EXPECT_EQ(inode(linked_blob), inode(verified));
  EXPECT_NE(inode(copied_blob), inode(plain));
  EXPECT_EQ(read_file(copied_blob), "plain bytes");
}

TEST(OciLayoutWriter, RefusesNonEmptyNonLayoutDirectory) {
  TempDir tmp;
  std::string out = join_path(tmp.path(), "out");
  make_dirs(out);
  write_file_atomic(join_path(out, "precious.txt"), "keep me");
  std::string msg = error_of([&] { OciLayoutWriter w(out); });
  EXPECT_NE(msg.find("not an OCI image layout"), std::string::npos) << msg;
  EXPECT_EQ(read_file(join_path(out, "precious.txt")), "keep me");
  EXPECT_EQ(list_dir(tmp.path()), (std::vector<std::string>{"out"}));
}

TEST(OciLayoutWriter, RefusesARegularFile) {
  TempDir tmp;
  std::string out = join_path(tmp.path(), "out");
  write_file_atomic(out, "text");
  EXPECT_THROW(OciLayoutWriter w(out), Error);
  EXPECT_EQ(read_file(out), "text");
  EXPECT_EQ(list_dir(tmp.path()), (std::vector<std::string>{"out"}));
}

TEST(OciLayoutWriter, FillsAnEmptyDirectoryAndCreatesANewOne) {
  TempDir tmp;
  std::string work = join_path(tmp.path(), "work");
  make_dirs(work);
  ImagePtr img = make_image(work, {{{"f", "x"}}});
  for (std::string out : {join_path(tmp.path(), "empty"), join_path(tmp.path(), "new")}) {
    if (out.ends_with("empty")) make_dirs(out);
    OciLayoutWriter w(out);
    w.tag(w.write_image(*img), "latest");
    w.commit();
    EXPECT_EQ(OciLayout(out).resolve("").select()->digest(), img->digest());
  }
}

TEST(OciLayout, MultiPlatformIndex) {
  TempDir tmp;
  std::string work = join_path(tmp.path(), "work");
  std::string out = join_path(tmp.path(), "out");
  make_dirs(work);
  ImagePtr amd = make_image(work, {{{"arch", "amd64"}}}, Compression::kGzip, "amd64");
  ImagePtr arm = make_image(work, {{{"arch", "arm64"}}}, Compression::kGzip, "arm64");
  IndexPtr idx = make_index({amd, arm});
  {
    OciLayoutWriter w(out);
    w.tag(w.write_index(*idx), "multi");
    w.commit();
  }
  OciLayout layout(out);
  Artifact art = layout.resolve("multi");
  ASSERT_TRUE(art.index);
  EXPECT_EQ(art.index->digest(), idx->digest());
  ASSERT_EQ(art.index->manifests().size(), 2u);
  EXPECT_EQ(art.select("linux/arm64")->digest(), arm->digest());
  EXPECT_EQ(art.select("linux/amd64")->digest(), amd->digest());
  EXPECT_EQ(art.select("")->digest(), amd->digest());
  EXPECT_EQ(layer_contents(*art.select("arm64")->layers()[0]), (Files{{"arch", "arm64"}}));
  EXPECT_THROW(art.select("linux/s390x"), Error);
}

}  // namespace distill::oci
