// The reference's one layer per generated file (image/part_split.cpp):
// which items each split part takes, the layers' order, names, modes,
// owners and mtimes (reference-images-debian13.md §2.1, §2.2, §4.4), their
// history descriptions, and that without the split parts everything stays
// in the one "generated" layer as before.
#include <gtest/gtest.h>

#include <sstream>

#include "archive/tar_reader.h"
#include "image/generated.h"
#include "image/merged_usr.h"
#include "image/parts.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

const std::vector<std::string> kSplitParts = {
    "packages",   "rootfs",    "passwd",        "home",    "group",   "tmp",      "nsswitch",
    "os-release", "ca-bundle", "java-keystore", "extract", "busybox", "generated"};

struct SplitPartsTest : ::testing::Test {
  TempDir tmp;
  Definition def;
  Selection sel;
  GeneratedFiles generated;
  LayerOptions layers;

  void SetUp() override {
    def.path = "d.yaml";
    def.parts = kSplitParts;
    def.merged_usr = true;
    layers.blob.merged_usr = true;
    def.users = {
        {"root", 0, 0, "root", "/root", "/sbin/nologin", 0700u, "d:2"},
        {"nobody", 65534, 65534, "nobody", "/nonexistent", "/sbin/nologin", {}, "d:3"},
        {"nonroot", 65532, 65532, "nonroot", "/home/nonroot", "/sbin/nologin", 0700u, "d:4"}};
    def.groups = {{"root", 0, {}, "d:5"}, {"nonroot", 65532, {}, "d:6"}};
    def.directories = {{"/home", 0755, 0, 0, "d:7"}, {"/tmp", 01777, 0, 0, "d:8"}};
    FileSpec ns;
    ns.dest = "/etc/nsswitch.conf";
    ns.content = "passwd: files\n";
    ns.mode = 0644;
    ns.where = "d:9";
    FileSpec motd = ns;
    motd.dest = "/etc/motd";
    motd.content = "hi\n";
    motd.where = "d:10";
    def.files = {ns, motd};
    def.os_release = {{"ID", "debian"}, {"VERSION_ID", "13"}};
  }

  std::vector<LayerJob> jobs() {
    generated = GeneratedFiles{};
    plan_generated(def, "amd64", generated);
    return part_jobs(PartInput{def, "amd64", sel, layers, generated, nullptr});
  }

  // Each entry of the layer as "raw-name mode uid:gid uname mtime", in tar order.
  std::vector<std::string> entries(const LayerJob& job) {
    BuiltLayer built = job.run(tmp.path());
    TarReader reader(built.layer->open_tar(), "layer");
    std::vector<std::string> out;
    TarEntry e;
    while (reader.next(e)) {
      std::ostringstream line;
      line << reader.raw_path() << " " << std::oct << e.mode << std::dec << " " << e.uid << ":"
           << e.gid << " " << e.uname << " " << e.mtime;
      out.push_back(line.str());
    }
    return out;
  }
};

}  // namespace

TEST_F(SplitPartsTest, OneLayerPerGeneratedFileInPartsOrder) {
  std::vector<LayerJob> js = jobs();
  std::vector<std::string> history;
  for (const auto& j : js) history.push_back(j.description);
  EXPECT_EQ(history, (std::vector<std::string>{
                         "rootfs /",
                         "passwd /etc/passwd",
                         "home /home, /home/nonroot, /root",
                         "group /etc/group",
                         "tmp /tmp",
                         "nsswitch /etc/nsswitch.conf",
                         "os-release /usr/lib/os-release",
                         "generated files: /etc/motd",
                     }));
}

TEST_F(SplitPartsTest, EntriesAreTheReferences) {
  layers.mtime = 0;
  std::vector<LayerJob> js = jobs();
  ASSERT_EQ(js.size(), 8u);
  using V = std::vector<std::string>;
  EXPECT_EQ(entries(js[0]), (V{"./ 755 0:0 root 0"}));
  EXPECT_EQ(entries(js[1]), (V{"./etc/ 755 0:0 root 0", "./etc/passwd 644 0:0 root 0"}));
  EXPECT_EQ(entries(js[2]), (V{"./home/ 755 0:0 root 0", "./home/nonroot/ 700 65532:65532  0",
                               "./root/ 700 0:0 root 0"}));
  EXPECT_EQ(entries(js[3]), (V{"./etc/ 755 0:0 root 0", "./etc/group 644 0:0 root 0"}));
  EXPECT_EQ(entries(js[4]), (V{"./tmp/ 1777 0:0 root 0"}));
  EXPECT_EQ(entries(js[5]), (V{"etc/nsswitch.conf 644 0:0 root 1514722362"}));
  EXPECT_EQ(entries(js[6]), (V{"./usr/ 755 0:0 root 0", "./usr/lib/ 755 0:0 root 0",
                               "./usr/lib/os-release 555 0:0 root 0"}));
  EXPECT_EQ(entries(js[7]), (V{"etc/ 755 0:0 root 0", "etc/motd 644 0:0 root 0"}));
}

TEST_F(SplitPartsTest, TheBuildMtimeStaysExceptNsswitch) {
  layers.mtime = 1700000000;
  std::vector<LayerJob> js = jobs();
  ASSERT_EQ(js.size(), 8u);
  EXPECT_EQ(entries(js[0]), (std::vector<std::string>{"./ 755 0:0 root 1700000000"}));
  EXPECT_EQ(entries(js[5]),
            (std::vector<std::string>{"etc/nsswitch.conf 644 0:0 root 1514722362"}));
}

TEST_F(SplitPartsTest, WithoutTheSplitPartsEverythingIsOneLayer) {
  def.parts = {"packages", "ca-bundle", "extract", "java-keystore", "busybox", "generated"};
  layers.mtime = 0;
  std::vector<LayerJob> js = jobs();
  ASSERT_EQ(js.size(), 1u);
  EXPECT_TRUE(generated.split.empty());
  EXPECT_EQ(js[0].description,
            "generated files: /etc/group, /etc/motd, /etc/nsswitch.conf, /etc/passwd, /home, "
            "/home/nonroot, /root, /tmp, /usr/lib/os-release");
  EXPECT_EQ(entries(js[0]).front(), "etc/ 755 0:0 root 0");
}

TEST_F(SplitPartsTest, AnUnlistedSplitPartLeavesItsFilesInGenerated) {
  def.parts = {"packages", "rootfs",        "passwd",  "ca-bundle",
               "extract",  "java-keystore", "busybox", "generated"};
  std::vector<LayerJob> js = jobs();
  ASSERT_EQ(js.size(), 3u);
  EXPECT_EQ(js[1].description, "passwd /etc/passwd");
  EXPECT_EQ(js[2].description,
            "generated files: /etc/group, /etc/motd, /etc/nsswitch.conf, /home, /home/nonroot, "
            "/root, /tmp, /usr/lib/os-release");
}

TEST_F(SplitPartsTest, EmptySplitPartsWriteNoLayer) {
  def.users.clear();
  def.groups.clear();
  def.files.clear();
  def.directories.clear();
  def.os_release.clear();
  std::vector<LayerJob> js = jobs();
  ASSERT_EQ(js.size(), 1u);
  EXPECT_EQ(js[0].description, "rootfs /");
}

TEST(MergedUsrCheck, LooksThroughDotSlash) {
  TarEntry e;
  e.type = TarEntry::Type::kDirectory;
  e.path = "./";
  EXPECT_NO_THROW(check_merged_usr(e, "rootfs layer"));
  e.path = "./usr/lib";
  EXPECT_NO_THROW(check_merged_usr(e, "os-release layer"));
  e.path = "./lib";
  EXPECT_THROW(check_merged_usr(e, "x"), Error);
  e.type = TarEntry::Type::kFile;
  e.path = "./lib/x";
  EXPECT_THROW(check_merged_usr(e, "x"), Error);
}

}  // namespace distill
