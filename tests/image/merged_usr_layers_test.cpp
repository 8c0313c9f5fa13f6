// Merged /usr wired into the layer writers: the merged-usr: key, package
// layers (paths moved, root directories dropped, links kept, control files
// verbatim), the user's files:, directories: and symlinks:, extract: and the
// check every layer passes in write_layer_blob.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <vector>

#include "../debian/repo_fixture.h"
#include "archive/tar_reader.h"
#include "definition_fixture.h"
#include "error_of.h"
#include "image/generated.h"
#include "image/layer_blob.h"
#include "image/package_layer.h"
#include "image/special_layers.h"
#include "util/fs.h"

namespace distill {

using testing::quote;
using testing::sh;

namespace {

struct UsrMember {
  TarEntry entry;
  std::string data;
};

// The layer's members in tar order.
std::vector<UsrMember> members(const BuiltLayer& layer) {
  TarReader reader(layer.layer->open_tar(), "layer");
  std::vector<UsrMember> out;
  TarEntry e;
  while (reader.next(e)) {
    out.push_back({e, e.type == TarEntry::Type::kFile ? reader.read_all_data() : ""});
  }
  return out;
}

const UsrMember* find(const std::vector<UsrMember>& ms, const std::string& path) {
  for (const auto& m : ms) {
    if (m.entry.path == path) return &m;
  }
  return nullptr;
}

size_t index_of(const std::vector<UsrMember>& ms, const std::string& path) {
  for (size_t i = 0; i < ms.size(); ++i) {
    if (ms[i].entry.path == path) return i;
  }
  return ms.size();
}

// Builds NAME.deb in `dir` from a shell script run in the package root.
std::string build_deb(const std::string& dir, const std::string& name, const std::string& tree) {
  std::string root = dir + "/" + name;
  make_dirs(root + "/DEBIAN");
  write_file_atomic(root + "/DEBIAN/control", "Package: " + name +
                                                  "\nVersion: 1.0\nArchitecture: all\n"
                                                  "Maintainer: t <t@distill.invalid>\n"
                                                  "Description: test\n");
  sh("cd " + quote(root) + " && " + tree);
  std::string out = dir + "/" + name + ".deb";
  sh("dpkg-deb --root-owner-group -Zgzip --build " + quote(root) + " " + quote(out) +
     " >/dev/null");
  return out;
}

// An old-style package: /lib/x/y, /bin/tool with a hardlink, /sbin/daemon,
// a doc file under /usr, and md5sums naming the unmoved paths.
std::string build_split_usr_package(const std::string& dir) {
  return build_deb(dir, "split",
                   "mkdir -p lib/x bin sbin usr/share/doc/split && echo lib >lib/x/y && "
                   "echo tool >bin/tool && ln bin/tool bin/tool2 && echo d >sbin/daemon && "
                   "echo c >usr/share/doc/split/copyright && "
                   "md5sum lib/x/y bin/tool sbin/daemon >DEBIAN/md5sums");
}

BuiltLayer package_layer(const std::string& dir, const std::string& deb, bool merged) {
  LayerBlobOptions blob;
  blob.merged_usr = merged;
  PackageLayerOptions opts;
  opts.label = "package test 1.0";
  return write_package_layer(dir, blob, deb, opts);
}

}  // namespace

TEST(MergedUsrLayers, PackagePathsMoveIntoUsr) {
  TempDir tmp;
  std::string deb = build_split_usr_package(tmp.path());
  auto ms = members(package_layer(tmp.path(), deb, true));
  for (const char* gone : {"lib", "bin", "sbin", "lib/x", "lib/x/y", "bin/tool"}) {
    EXPECT_EQ(find(ms, gone), nullptr) << gone;
  }
  ASSERT_NE(find(ms, "usr/lib/x/y"), nullptr);
  EXPECT_EQ(find(ms, "usr/lib/x/y")->data, "lib\n");
  EXPECT_EQ(find(ms, "usr/lib/x")->entry.type, TarEntry::Type::kDirectory);
  EXPECT_EQ(find(ms, "usr/bin/tool")->data, "tool\n");
  // sbin stays apart from bin (rules_distroless#200).
  EXPECT_EQ(find(ms, "usr/sbin/daemon")->data, "d\n");
  EXPECT_EQ(find(ms, "usr/bin/daemon"), nullptr);
  const UsrMember* hard = find(ms, "usr/bin/tool2");
  ASSERT_NE(hard, nullptr);
  EXPECT_EQ(hard->entry.type, TarEntry::Type::kHardlink);
  EXPECT_EQ(hard->entry.link, "usr/bin/tool");
  // The parents the dropped lib/ leaves out come before what needs them.
  EXPECT_EQ(find(ms, "usr/lib")->entry.mode, 0755u);
  EXPECT_LT(index_of(ms, "usr"), index_of(ms, "usr/lib"));
  EXPECT_LT(index_of(ms, "usr/lib"), index_of(ms, "usr/lib/x"));
  // The control files stay as the .deb has them, as the reference's do.
  const UsrMember* sums = find(ms, "var/lib/dpkg/status.d/split.md5sums");
  ASSERT_NE(sums, nullptr);
  EXPECT_NE(sums->data.find("  lib/x/y\n"), std::string::npos);
  EXPECT_NE(sums->data.find("  bin/tool\n"), std::string::npos);
}

TEST(MergedUsrLayers, OffLeavesPackagesAsTheyAre) {
  TempDir tmp;
  std::string deb = build_split_usr_package(tmp.path());
  auto ms = members(package_layer(tmp.path(), deb, false));
  EXPECT_NE(find(ms, "lib/x/y"), nullptr);
  EXPECT_EQ(find(ms, "bin")->entry.type, TarEntry::Type::kDirectory);
  EXPECT_EQ(find(ms, "usr/lib/x/y"), nullptr);
}

TEST(MergedUsrLayers, PackagesWithoutMergedNamesAreByteIdentical) {
  TempDir tmp;
  std::string deb = build_deb(tmp.path(), "plain",
                              "mkdir -p usr/lib/plain usr/bin && echo a >usr/lib/plain/a && "
                              "echo b >usr/bin/b && ln -s ../lib/plain/a usr/bin/c");
  TempDir on_dir, off_dir;
  BuiltLayer on = package_layer(on_dir.path(), deb, true);
  BuiltLayer off = package_layer(off_dir.path(), deb, false);
  EXPECT_EQ(on.layer->descriptor().digest, off.layer->descriptor().digest);
  EXPECT_EQ(on.layer->diff_id(), off.layer->diff_id());
}

TEST(MergedUsrLayers, BaseFilesLinksAreKeptAndWrongOnesRefused) {
  TempDir tmp;
  std::string good = build_deb(tmp.path(), "base-files",
                               "mkdir -p usr/bin usr/sbin usr/lib usr/lib64 && ln -s usr/bin bin "
                               "&& ln -s usr/sbin sbin && ln -s usr/lib lib && "
                               "ln -s usr/lib64 lib64");
  auto ms = members(package_layer(tmp.path(), good, true));
  for (const char* name : {"bin", "sbin", "lib", "lib64"}) {
    const UsrMember* m = find(ms, name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->entry.type, TarEntry::Type::kSymlink);
    EXPECT_EQ(m->entry.link, std::string("usr/") + name);
  }
  std::string absolute = build_deb(tmp.path(), "absolute", "ln -s /usr/lib64 lib64");
  EXPECT_EQ(error_of([&] { package_layer(tmp.path(), absolute, true); }),
            "package test 1.0: symlink /lib64 points to /usr/lib64, but merged /usr needs "
            "exactly usr/lib64");
  std::string file = build_deb(tmp.path(), "file", "echo x >lib32");
  EXPECT_EQ(error_of([&] { package_layer(tmp.path(), file, true); }),
            "package test 1.0: /lib32 is a file, but in a merged-/usr image it must stay the "
            "symlink /lib32 -> usr/lib32; put the content under /usr/lib32 instead");
  // The failed layer left no blob behind.
  for (const auto& f : std::filesystem::directory_iterator(tmp.path())) {
    EXPECT_NE(f.path().filename().string().rfind(".layer-", 0), 0u) << f.path();
  }
}

TEST(MergedUsrLayers, EveryLayerWriterIsChecked) {
  TempDir tmp;
  LayerBlobOptions blob;
  blob.merged_usr = true;
  auto write_dir = [&](const std::string& path) {
    write_layer_blob(tmp.path(), blob, "some layer", [&](TarWriter& tar) {
      TarEntry e;
      e.type = TarEntry::Type::kDirectory;
      e.path = path;
      tar.add(e);
    });
  };
  EXPECT_EQ(error_of([&] { write_dir("lib"); }),
            "some layer: /lib is a directory, but in a merged-/usr image it must stay the symlink "
            "/lib -> usr/lib; put the content under /usr/lib instead");
  EXPECT_EQ(error_of([&] { write_dir("sbin/x"); }),
            "some layer: /sbin/x lies under the merged-/usr symlink /sbin; use /usr/sbin/x "
            "instead");
  EXPECT_EQ(error_of([&] { write_dir("usr/lib"); }), "");
  blob.merged_usr = false;
  EXPECT_EQ(error_of([&] { write_dir("lib"); }), "");
  // busybox at /bin would replace the link: the layer says which setting.
  blob.merged_usr = true;
  std::string busybox =
      build_deb(tmp.path(), "busybox-static", "mkdir bin && printf '\\177ELF' >bin/busybox");
  EXPECT_EQ(
      error_of([&] { write_busybox_layer(tmp.path(), blob, busybox, "/bin", {"sh"}, 0); }),
      "busybox layer (busybox: /bin): /bin is a directory, but in a merged-/usr image it must "
      "stay the symlink /bin -> usr/bin; put the content under /usr/bin instead");
}

TEST(MergedUsrLayers, ExtractMatchesWherePathsLand) {
  TempDir tmp;
  std::string deb =
      build_deb(tmp.path(), "libc-bin",
                "mkdir -p lib/locale/C.utf8 && echo ctype >lib/locale/C.utf8/LC_CTYPE");
  LayerBlobOptions blob;
  blob.merged_usr = true;
  auto ms = members(
      write_extract_layer(tmp.path(), blob, deb, {"/usr/lib/locale/C.utf8"}, false, 0, "extract"));
  ASSERT_NE(find(ms, "usr/lib/locale/C.utf8/LC_CTYPE"), nullptr);
  EXPECT_EQ(find(ms, "usr/lib/locale/C.utf8/LC_CTYPE")->data, "ctype\n");
  EXPECT_EQ(find(ms, "lib"), nullptr);
}

struct MergedUsrDefinition : DefinitionFixture {
  // plan_generated's error for `yaml` ("" if it planned), the plan in `plan`.
  std::string plan_error(const std::string& yaml, GeneratedFiles& plan,
                         std::string* path = nullptr) {
    std::string p = write("def.yaml", yaml);
    if (path) *path = p;
    Definition d = load_definition_file(p);
    return error_of([&] { plan_generated(d, "amd64", plan); });
  }
};

TEST_F(MergedUsrDefinition, KeyParsedAndInherited) {
  std::string parent = write("parent.yaml", "merged-usr: true\n");
  std::string child = write("child.yaml", "from: parent.yaml\n");
  EXPECT_EQ(load_definition(child, {}).merged_usr, std::optional<bool>(true));
  write("off.yaml", "from: parent.yaml\nmerged-usr: false\n");
  EXPECT_EQ(load_definition(join_path(tmp.path(), "off.yaml"), {}).merged_usr,
            std::optional<bool>(false));
  EXPECT_EQ(load_definition_file(write("none.yaml", "name: x\n")).merged_usr, std::nullopt);
  std::string bad = write("bad.yaml", "name: x\nmerged-usr: sometimes\n");
  EXPECT_EQ(error_of([&] { load_definition_file(bad); }),
            bad + ":2: merged-usr must be true or false, not 'sometimes'");
}

TEST_F(MergedUsrDefinition, UserFilesLandInUsr) {
  GeneratedFiles plan;
  EXPECT_EQ(plan_error("merged-usr: true\nfiles:\n  - {dest: /bin/tool, content: x}\n"
                       "  - {dest: /lib/x/y, content: y}\n",
                       plan),
            "");
  EXPECT_TRUE(plan.contains("/usr/bin/tool"));
  EXPECT_TRUE(plan.contains("/usr/lib/x/y"));
  EXPECT_FALSE(plan.contains("/bin/tool"));
  GeneratedFiles off;
  EXPECT_EQ(plan_error("files:\n  - {dest: /bin/tool, content: x}\n", off), "");
  EXPECT_TRUE(off.contains("/bin/tool"));
}

TEST_F(MergedUsrDefinition, DirectoriesAndLinksThatShadowTheLinksFail) {
  GeneratedFiles plan;
  std::string p;
  EXPECT_EQ(plan_error("name: x\nmerged-usr: true\ndirectories:\n  - {path: /lib}\n", plan, &p),
            p + ":4: /lib is a directory, but in a merged-/usr image it must stay the symlink "
                "/lib -> usr/lib; put the content under /usr/lib instead");
  EXPECT_EQ(
      plan_error("merged-usr: true\nsymlinks:\n  - {path: /lib, target: /usr/lib}\n", plan, &p),
      p + ":3: symlink /lib points to /usr/lib, but merged /usr needs exactly usr/lib");
  EXPECT_EQ(
      plan_error("merged-usr: true\nsymlinks:\n  - {path: /bin/sh, target: busybox}\n", plan, &p),
      p + ":3: /bin/sh lies under the merged-/usr symlink /bin; use /usr/bin/sh instead");
  EXPECT_EQ(plan_error("merged-usr: true\nfiles:\n  - {dest: /sbin, content: x}\n", plan, &p),
            p + ":3: /sbin is a file, but in a merged-/usr image it must stay the symlink "
                "/sbin -> usr/sbin; put the content under /usr/sbin instead");
  // The exact link is allowed, as base-files ships it.
  GeneratedFiles ok;
  EXPECT_EQ(plan_error("merged-usr: true\nsymlinks:\n  - {path: /lib, target: usr/lib}\n", ok), "");
}

}  // namespace distill
