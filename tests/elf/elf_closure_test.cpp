#include "elf/elf_closure.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"

namespace distill::elf {
namespace {

namespace stdfs = std::filesystem;

// Small programs and libraries compiled by the test, in a root that gets the
// host's libc.so.6 only when a test asks for it.
class ElfClosureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (find_program("cc").empty()) GTEST_SKIP() << "no C compiler";
    root_ = tmp_.path() + "/root";
    make_dirs(root_);
  }

  // Compiles `source` to `out` (relative to the root) with `flags`.
  void cc(const std::string& out, const std::string& source, std::vector<std::string> flags) {
    std::string src = tmp_.path() + "/" + std::to_string(++n_) + ".c";
    write_file_atomic(src, source);
    std::string dest = root_ + out;
    make_dirs(parent_dir(dest));
    std::vector<std::string> argv = {find_program("cc"), "-o", dest, src};
    argv.insert(argv.end(), flags.begin(), flags.end());
    auto r = run_process(argv);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void add_libc() {
    std::string dir = root_ + "/lib/x86_64-linux-gnu";
    make_dirs(dir);
    stdfs::copy_file("/lib/x86_64-linux-gnu/libc.so.6", dir + "/libc.so.6");
    stdfs::copy_file("/lib64/ld-linux-x86-64.so.2", dir + "/ld-linux-x86-64.so.2");
    make_dirs(root_ + "/lib64");
    stdfs::create_symlink("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                          root_ + "/lib64/ld-linux-x86-64.so.2");
  }
  Closure resolve(const std::vector<std::string>& roots, CacheArch arch = CacheArch::kAmd64) {
    RootTree tree = RootTree::from_directory(root_);
    return resolve_closure(tree, roots, arch, arch == CacheArch::kAmd64 ? "amd64" : "arm64");
  }
  static const LoadedObject* find(const Closure& c, const std::string& soname) {
    for (const auto& o : c.objects)
      if (o.soname == soname) return &o;
    return nullptr;
  }
  std::string lib_flags() { return "-L" + root_ + "/lib"; }

  TempDir tmp_;
  std::string root_;
  int n_ = 0;
};

constexpr const char* kFooSource = "int foo(void) { return 1; }\n";
constexpr const char* kMainSource = "int foo(void);\nint main(void) { return foo(); }\n";

TEST_F(ElfClosureTest, RunpathWithOriginFindsBundledLibrary) {
  add_libc();
  cc("/app/lib/libfoo.so", kFooSource, {"-shared", "-fPIC", "-Wl,-soname,libfoo.so"});
  cc("/app/bin/prog", kMainSource,
     {"-L" + root_ + "/app/lib", "-lfoo", "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib"});
  Closure c = resolve({"/app/bin/prog"});
  EXPECT_TRUE(c.missing.empty());
  EXPECT_TRUE(c.missing_interpreters.empty());
  const LoadedObject* foo = find(c, "libfoo.so");
  ASSERT_NE(foo, nullptr);
  EXPECT_EQ(foo->path, "/app/lib/libfoo.so");
  EXPECT_EQ(foo->found_via, "RUNPATH");
  EXPECT_EQ(foo->needed_by, "/app/bin/prog");
  const LoadedObject* libc = find(c, "libc.so.6");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->path, "/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(libc->found_via, "default path");
  EXPECT_FALSE(libc->info.version_defs.empty());
}

TEST_F(ElfClosureTest, MissingLibcAndInterpreterAreReported) {
  cc("/app/prog", "int main(void) { return 0; }\n", {});
  Closure c = resolve({"/app/prog"});
  ASSERT_EQ(c.missing.size(), 1u);
  EXPECT_EQ(c.missing[0].soname, "libc.so.6");
  EXPECT_EQ(c.missing[0].needed_by, "/app/prog");
  ASSERT_EQ(c.missing_interpreters.size(), 1u);
  EXPECT_EQ(c.missing_interpreters[0].second, "/lib64/ld-linux-x86-64.so.2");
}

// RUNPATH serves the object's own DT_NEEDED only; RPATH serves the subtree.
TEST_F(ElfClosureTest, RunpathIsNotInheritedButRpathIs) {
  add_libc();
  cc("/opt/lib/libbar.so", "int bar(void) { return 2; }\n",
     {"-shared", "-fPIC", "-Wl,-soname,libbar.so"});
  cc("/opt/lib/libfoo.so", "int bar(void);\nint foo(void) { return bar(); }\n",
     {"-shared", "-fPIC", "-Wl,-soname,libfoo.so", "-L" + root_ + "/opt/lib", "-lbar"});
  for (const char* dtags : {"--enable-new-dtags", "--disable-new-dtags"}) {
    cc("/app/prog", kMainSource,
       {"-L" + root_ + "/opt/lib", "-lfoo", "-Wl,-rpath-link," + root_ + "/opt/lib",
        std::string("-Wl,") + dtags + ",-rpath,/opt/lib"});
    Closure c = resolve({"/app/prog"});
    bool runpath = std::string(dtags) == "--enable-new-dtags";
    ASSERT_NE(find(c, "libfoo.so"), nullptr) << dtags;
    EXPECT_EQ(find(c, "libfoo.so")->found_via, runpath ? "RUNPATH" : "RPATH");
    if (runpath) {
      ASSERT_EQ(c.missing.size(), 1u);
      EXPECT_EQ(c.missing[0].soname, "libbar.so");
      EXPECT_EQ(c.missing[0].needed_by, "/opt/lib/libfoo.so");
    } else {
      EXPECT_TRUE(c.missing.empty());
      ASSERT_NE(find(c, "libbar.so"), nullptr);
      EXPECT_EQ(find(c, "libbar.so")->found_via, "RPATH");
    }
  }
}

TEST_F(ElfClosureTest, SymbolVersionTheLibraryLacks) {
  add_libc();
  std::string map2 = tmp_.path() + "/v2.map", map1 = tmp_.path() + "/v1.map";
  write_file_atomic(map2, "V1 { global: f1; local: *; };\nV2 { global: f2; } V1;\n");
  write_file_atomic(map1, "V1 { global: f1; local: *; };\n");
  cc("/lib/libv.so", "int f1(void) { return 1; }\nint f2(void) { return 2; }\n",
     {"-shared", "-fPIC", "-Wl,-soname,libv.so", "-Wl,--version-script," + map2});
  cc("/app/prog", "int f2(void);\nint main(void) { return f2(); }\n",
     {"-L" + root_ + "/lib", "-lv"});
  Closure ok = resolve({"/app/prog"});
  EXPECT_TRUE(ok.missing_versions.empty());
  ASSERT_FALSE(ok.objects.empty());
  const auto& needs = ok.objects[0].info.version_needs;
  auto it =
      std::find_if(needs.begin(), needs.end(), [](const auto& n) { return n.first == "libv.so"; });
  ASSERT_NE(it, needs.end());
  EXPECT_EQ(it->second, std::vector<std::string>{"V2"});
  const auto& imports = ok.objects[0].info.imports;
  EXPECT_NE(std::find(imports.begin(), imports.end(), "f2"), imports.end());

  // The same soname, built without V2: an older library than the program needs.
  ::unlink((root_ + "/lib/libv.so").c_str());
  cc("/lib/libv.so", "int f1(void) { return 1; }\n",
     {"-shared", "-fPIC", "-Wl,-soname,libv.so", "-Wl,--version-script," + map1});
  Closure old = resolve({"/app/prog"});
  ASSERT_EQ(old.missing_versions.size(), 1u);
  EXPECT_EQ(old.missing_versions[0].version, "V2");
  EXPECT_EQ(old.missing_versions[0].library, "/lib/libv.so");
  EXPECT_EQ(old.missing_versions[0].needed_by, "/app/prog");
}

TEST_F(ElfClosureTest, WrongArchitectureAndNotElfAreErrors) {
  cc("/app/prog", "int main(void) { return 0; }\n", {});
  write_file_atomic(root_ + "/app/script", "#!/bin/false\n");
  try {
    resolve({"/app/prog"}, CacheArch::kArm64);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "/app/prog: ELF for x86-64 (64-bit), not arm64");
  }
  try {
    resolve({"/app/script"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "/app/script: not an ELF file");
  }
}

TEST(ElfClosure, ExpandsDynamicStringTokens) {
  EXPECT_EQ(expand_dst("$ORIGIN/../lib:${LIB}/x/$PLATFORM", "/app/bin", CacheArch::kAmd64),
            "/app/bin/../lib:lib/x86_64-linux-gnu/x/x86_64");
  EXPECT_EQ(expand_dst("$LIB", "/", CacheArch::kArm64), "lib/aarch64-linux-gnu");
}

}  // namespace
}  // namespace distill::elf
