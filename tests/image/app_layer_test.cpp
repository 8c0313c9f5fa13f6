// The app layers (image/app_layer.h, part "app"): a host tree copied in
// normalised, one layer per item on top, and the hostile trees refused
// with one line naming the item.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "archive/tar_reader.h"
#include "error_of.h"
#include "image/app_layer.h"
#include "image/definition.h"
#include "image/parts.h"
#include "util/fs.h"
#include "util/io.h"

namespace distill {

namespace {

struct AppLayerTest : ::testing::Test {
  TempDir tmp;
  std::string put(const std::string& rel, const std::string& data, mode_t mode = 0644) {
    std::string p = join_path(tmp.path(), rel);
    make_dirs(parent_dir(p));
    write_file_atomic(p, data);
    ::chmod(p.c_str(), mode);
    return p;
  }
  AppSpec item(const std::string& src, const std::string& dest = "") {
    AppSpec a;
    a.src = join_path(tmp.path(), src);
    a.dest = app_dest(a.src, dest);
    a.where = "app.yaml:3";
    return a;
  }
  // "TYPE /path MODE UID:GID" of every entry the plan writes, in order.
  std::vector<std::string> entries(const LayerPlan& plan) {
    StringSink sink;
    TarWriter w(sink);
    plan.write(w, 0);
    w.finish();
    std::vector<std::string> out;
    TarReader r(std::make_unique<StringSource>(sink.data()), "app");
    TarEntry e;
    while (r.next(e)) {
      if (e.path.empty()) continue;
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", e.mode);
      out.push_back(std::string(type_name(e.type)) + " /" + e.path + " " + mode + " " +
                    std::to_string(e.uid) + ":" + std::to_string(e.gid) +
                    (e.link.empty() ? "" : " -> " + e.link));
    }
    return out;
  }
};

}  // namespace

TEST_F(AppLayerTest, DestDefaultsUnderAppAndASlashPutsItInside) {
  EXPECT_EQ(app_dest("/x/build/server", ""), "/app/server");
  EXPECT_EQ(app_dest("/x/site/", ""), "/app/site");
  EXPECT_EQ(app_dest("/x/server", "/usr/local/bin/"), "/usr/local/bin/server");
  EXPECT_EQ(app_dest("/x/server", "/srv/run"), "/srv/run");
}

TEST_F(AppLayerTest, ADirectoryIsCopiedSortedWithNormalisedModesAndOwner) {
  put("site/bin/run", "#!/bin/x\n", 0700);
  put("site/a.txt", "a", 0600);
  ::symlink("bin/run", join_path(tmp.path(), "site/start").c_str());
  make_dirs(join_path(tmp.path(), "site/empty"));
  AppSpec a = item("site", "/srv/site");
  a.uid = 1000;
  a.gid = 1001;
  a.dir_mode = 0750;
  LayerPlan plan;
  plan_app_item(a, "amd64", plan);
  EXPECT_EQ(entries(plan), (std::vector<std::string>{
                               "directory /srv 0755 0:0",
                               "directory /srv/site 0750 1000:1001",
                               "file /srv/site/a.txt 0644 1000:1001",
                               "directory /srv/site/bin 0750 1000:1001",
                               "file /srv/site/bin/run 0755 1000:1001",
                               "directory /srv/site/empty 0750 1000:1001",
                               "symlink /srv/site/start 0777 1000:1001 -> bin/run",
                           }));
}

TEST_F(AppLayerTest, ModeSetsEveryFileAndArchIsExpanded) {
  put("out/arm64/tool", "x", 0755);
  AppSpec a = item("out/${ARCH}/tool", "/app/tool-${ARCH}");
  a.mode = 0500;
  LayerPlan plan;
  plan_app_item(a, "arm64", plan);
  EXPECT_EQ(entries(plan),
            (std::vector<std::string>{"directory /app 0755 0:0", "file /app/tool-arm64 0500 0:0"}));
}

TEST_F(AppLayerTest, HostileTreesAreOneLineNamingTheItem) {
  auto refused = [&](const std::string& src) {
    LayerPlan plan;
    return error_of([&] { plan_app_item(item(src), "amd64", plan); });
  };
  EXPECT_EQ(refused("missing"),
            "app.yaml:3: app source " + join_path(tmp.path(), "missing") + " not found");
  put("out/ok", "x");
  std::string dir = join_path(tmp.path(), "out");
  ::symlink("/etc/passwd", join_path(dir, "abs").c_str());
  EXPECT_EQ(refused("out"),
            "app.yaml:3: symlink " + dir + "/abs -> /etc/passwd points outside the app directory " +
                dir +
                "; copy what it points to into the directory, or add the link with symlinks:");
  ::unlink(join_path(dir, "abs").c_str());
  ::symlink("../../etc", join_path(dir, "up").c_str());
  EXPECT_NE(refused("out").find("/out/up -> ../../etc points outside"), std::string::npos);
  ::unlink(join_path(dir, "up").c_str());
  ::symlink("ok", join_path(dir, "inside").c_str());
  EXPECT_EQ(refused("out"), "");
  ::mkfifo(join_path(dir, "pipe").c_str(), 0644);
  EXPECT_EQ(
      refused("out"),
      "app.yaml:3: " + dir + "/pipe is a fifo; an app holds only files, directories and symlinks");
}

TEST_F(AppLayerTest, TwoItemsGivingOnePathFailNamingBoth) {
  put("a/x", "1");
  put("b/x", "2");
  Definition def;
  def.parts = {"app"};
  def.apps = {item("a", "/app"), item("b", "/app")};
  def.apps[1].where = "app.yaml:4";
  Selection sel;
  GeneratedFiles gen;
  LayerOptions layers;
  std::string err = error_of([&] {
    part_jobs(PartInput{def, "amd64", sel, layers, gen, nullptr});
  });
  EXPECT_EQ(err.rfind("app.yaml:4 (", 0), 0u) << err;
  EXPECT_NE(err.find("duplicate path /app (also defined at app.yaml:3"), std::string::npos) << err;
}

TEST_F(AppLayerTest, OneLayerPerItemDescribedByImagePathsOnly) {
  put("hello", "x", 0755);
  put("site/a", "1");
  put("site/b", "2");
  Definition def;
  def.parts = {"app"};
  def.apps = {item("hello"), item("site", "/srv/site")};
  Selection sel;
  GeneratedFiles gen;
  LayerOptions layers;
  std::vector<Explained> explain;
  std::vector<LayerJob> jobs = part_jobs(PartInput{def, "amd64", sel, layers, gen, &explain});
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].description, "app /app/hello");
  EXPECT_EQ(jobs[1].description, "app /srv/site (3 entries)");
  ASSERT_EQ(explain.size(), 4u);
  EXPECT_EQ(explain[0].line(),
            "amd64: app file /app/hello: app.yaml:3 (" + join_path(tmp.path(), "hello") + ")");
}

}  // namespace distill
