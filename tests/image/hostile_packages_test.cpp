// The build-side policies for hostile packages that do not need a .deb:
// allow-setuid in definitions and one path with two types across packages.
#include <gtest/gtest.h>

#include <functional>

#include "error_of.h"
#include "image/builder.h"
#include "image/definition.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

using Type = TarEntry::Type;

BuiltLayer layer(std::vector<std::pair<std::string, Type>> paths) {
  BuiltLayer l;
  l.paths = std::move(paths);
  return l;
}

}  // namespace

TEST(AllowSetuid, ParsedValidatedAndInherited) {
  TempDir tmp;
  std::string parent = join_path(tmp.path(), "parent.yaml");
  std::string child = join_path(tmp.path(), "child.yaml");
  write_file_atomic(parent, "packages: [a]\nallow-setuid: [/usr/bin/su]\n");
  write_file_atomic(child, "from: parent.yaml\nallow-setuid:\n  - \"/usr/lib/*/helper\"\n");
  Definition d = load_definition(child, {});
  EXPECT_EQ(d.allow_setuid, (std::vector<std::string>{"/usr/bin/su", "/usr/lib/*/helper"}));

  std::string bad = join_path(tmp.path(), "bad.yaml");
  write_file_atomic(bad, "packages: [a]\nallow-setuid:\n  - /ok\n  - relative/*\n");
  EXPECT_EQ(error_of([&] { load_definition_file(bad); }),
            bad + ":4: allow-setuid entry 'relative/*' must be an absolute path in the image");
  write_file_atomic(bad, "allow-setuid: /usr/bin/su\n");
  EXPECT_EQ(error_of([&] { load_definition_file(bad); }),
            bad + ":1: allow-setuid must be a list of absolute path globs");
  write_file_atomic(bad, "allow-setuid: [/usr/../etc/shadow]\n");
  EXPECT_EQ(error_of([&] { load_definition_file(bad); }),
            bad +
                ":1: allow-setuid entry '/usr/../etc/shadow' must not contain '..' (it would "
                "escape the image root)");
}

TEST(PackagePaths, SharedDirectoriesAreFine) {
  std::vector<BuiltLayer> layers = {
      layer({{"usr", Type::kDirectory}, {"usr/bin", Type::kDirectory}, {"usr/bin/a", Type::kFile}}),
      layer({{"usr", Type::kDirectory}, {"usr/bin", Type::kDirectory}, {"usr/bin/b", Type::kFile}}),
      layer({}),  // a generated layer records nothing
  };
  EXPECT_EQ(error_of([&] {
              check_package_paths(layers, {"package a 1", "package b 1", "gen"});
            }),
            "");
}

TEST(PackagePaths, OnePathTwoTypes) {
  std::vector<BuiltLayer> layers = {
      layer({{"usr", Type::kDirectory}, {"usr/lib64", Type::kSymlink}}),
      layer({{"usr", Type::kDirectory}, {"usr/lib64", Type::kDirectory}}),
  };
  EXPECT_EQ(error_of([&] {
              check_package_paths(layers, {"package a 1", "package b 2"});
            }),
            "package b 2: /usr/lib64 is a directory but package a 1 installs it as a symlink");
}

TEST(PackagePaths, MemberUnderAnotherPackagesSymlinkOrFile) {
  std::vector<BuiltLayer> layers = {
      layer({{"opt", Type::kSymlink}}),
      layer({{"opt/x", Type::kFile}}),
  };
  EXPECT_EQ(error_of([&] {
              check_package_paths(layers, {"package a 1", "package b 2"});
            }),
            "package b 2: /opt/x lies under /opt, a symlink in package a 1");
  layers[0] = layer({{"etc", Type::kDirectory}, {"etc/f", Type::kFile}});
  layers[1] = layer({{"etc/f/g", Type::kFile}});
  EXPECT_EQ(error_of([&] {
              check_package_paths(layers, {"package a 1", "package b 2"});
            }),
            "package b 2: /etc/f/g lies under /etc/f, a file in package a 1");
}

}  // namespace distill
