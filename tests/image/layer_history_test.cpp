// What each layer job says it is: the config's history (created_by) comes
// from these descriptions, one per layer, in parts: order.
#include <gtest/gtest.h>

#include "image/generated.h"
#include "image/layer_plan.h"
#include "image/parts.h"
#include "util/fs.h"

namespace distill {

namespace {

SelectedPackage selected(const std::string& name, const std::string& version) {
  SelectedPackage p;
  p.locked.name = name;
  p.locked.version = version;
  p.deb_path = "/nonexistent/" + name + ".deb";  // the jobs are planned, not run
  return p;
}

struct LayerHistoryTest : ::testing::Test {
  TempDir tmp;
  Definition def;
  Selection sel;
  GeneratedFiles generated;
  LayerOptions layers;

  void SetUp() override {
    def.path = "d.yaml";
    def.parts = {"packages", "ca-bundle", "extract", "java-keystore", "busybox", "generated"};
    def.packages = {{"base-files", {}, {}, "d:2"}, {"libc6", {}, {}, "d:3"}};
    sel.installed = {selected("base-files", "12.4+deb12u5"), selected("libc6", "2.36-9+deb12u4")};
  }

  std::vector<std::string> descriptions() {
    std::vector<std::string> out;
    for (const auto& j : part_jobs(PartInput{def, "amd64", sel, layers, generated, nullptr})) {
      out.push_back(j.description);
    }
    return out;
  }
};

}  // namespace

TEST_F(LayerHistoryTest, PackagesAreNamedWithTheirVersionsInSelectionOrder) {
  EXPECT_EQ(descriptions(), (std::vector<std::string>{"package base-files 12.4+deb12u5",
                                                      "package libc6 2.36-9+deb12u4"}));
}

TEST_F(LayerHistoryTest, EveryPartKindInPartsOrder) {
  def.ca_bundle = "/etc/ssl/certs/ca-certificates.crt";
  def.ca_package = "ca-certificates";
  def.java_keystore = "/etc/ssl/certs/java/cacerts";
  def.java_keystore_password = "changeit";
  def.extracts = {{"libc-bin", {"/usr/lib/locale/C.utf8", "/usr/lib/${TRIPLET}/x"}, true, "d:9"}};
  def.busybox = "/busybox";
  def.busybox_package = "busybox-static";
  std::string applets = join_path(tmp.path(), "applets.txt");
  write_file_atomic(applets, "# applets\nsh\nls\n");
  def.busybox_applets = applets;
  sel.sources = {selected("ca-certificates", "20230311"), selected("libc-bin", "2.36-9+deb12u4"),
                 selected("busybox-static", "1:1.35.0-4+b3")};
  def.users = {
      {"nonroot", 65532, 65532, "nonroot", "/home/nonroot", "/sbin/nologin", 0700u, "d:5"}};
  def.directories = {{"/tmp", 01777, 0, 0, "d:6"}};
  plan_generated(def, "amd64", generated);

  EXPECT_EQ(descriptions(),
            (std::vector<std::string>{
                "package base-files 12.4+deb12u5",
                "package libc6 2.36-9+deb12u4",
                "CA bundle /etc/ssl/certs/ca-certificates.crt from ca-certificates 20230311",
                "extract from libc-bin 2.36-9+deb12u4: /usr/lib/locale/C.utf8 "
                "/usr/lib/x86_64-linux-gnu/x",
                "Java keystore /etc/ssl/certs/java/cacerts from ca-certificates 20230311",
                "busybox from busybox-static 1:1.35.0-4+b3 in /busybox (2 applets)",
                "generated files: /etc/passwd, /home/nonroot, /tmp",
            }));
}

TEST_F(LayerHistoryTest, ManyGeneratedFilesAreCut) {
  def.packages.clear();
  sel.installed.clear();
  for (int i = 0; i < 12; ++i) {
    generated.rest.add_file("/f" + std::to_string(i), "x", 0644, 0, 0, "d:" + std::to_string(i));
  }
  EXPECT_EQ(descriptions(),
            (std::vector<std::string>{"generated files: /f0, /f1, /f10, /f11, /f2, /f3, /f4, "
                                      "/f5, /f6, /f7 and 2 more"}));
}

TEST_F(LayerHistoryTest, DescriptionsAreTheSameForTheSameInputs) {
  def.users = {{"root", 0, 0, "root", "/root", "/sbin/nologin", 0700u, "d:5"}};
  plan_generated(def, "amd64", generated);
  EXPECT_EQ(descriptions(), descriptions());
  EXPECT_EQ(descriptions().back(), "generated files: /etc/passwd, /root");
}

}  // namespace distill
