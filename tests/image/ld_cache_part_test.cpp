// The ld-so-cache part: the root tree made from finished layers (merged
// /usr links followed, later layers winning, only what ldconfig reads kept),
// the ld-so-cache: key, and the cache layer the part writes from the layers
// below it, run through the builder's job runner.
#include <gtest/gtest.h>

#include "archive/tar_reader.h"
#include "definition_fixture.h"
#include "elf/ld_cache.h"
#include "image/builder.h"
#include "image/layer_root.h"
#include "image/parts.h"
#include "util/fs.h"
#include "util/process.h"

namespace distill {

namespace {

struct Item {
  TarEntry::Type type;
  std::string path, data;  // data: file bytes, or the link target
};

BuiltLayer layer_of(const std::string& dir, const std::vector<Item>& items) {
  return write_layer_blob(dir, {}, "test layer", [&](TarWriter& tar) {
    for (const auto& it : items) {
      TarEntry e;
      e.path = it.path;
      e.type = it.type;
      e.mode = it.type == TarEntry::Type::kDirectory ? 0755 : 0644;
      if (it.type == TarEntry::Type::kFile) {
        e.size = it.data.size();
        tar.add(e, it.data);
      } else {
        e.link = it.data;
        tar.add(e);
      }
    }
  });
}

constexpr auto F = TarEntry::Type::kFile;
constexpr auto D = TarEntry::Type::kDirectory;
constexpr auto L = TarEntry::Type::kSymlink;
constexpr auto H = TarEntry::Type::kHardlink;

TEST(LayerRoot, MergesLayersThroughLinksAndKeepsWhatLdconfigReads) {
  TempDir tmp;
  std::vector<BuiltLayer> layers;
  layers.push_back(layer_of(tmp.path(), {{D, "usr", ""},
                                         {D, "usr/lib", ""},
                                         {L, "lib", "usr/lib"},
                                         {F, "etc/ld.so.conf", "old\n"},
                                         {F, "usr/share/doc/big", "not a library"}}));
  layers.push_back(
      layer_of(tmp.path(), {{F, "lib/x86_64-linux-gnu/libfoo.so.1", "ELF bytes"},
                            {H, "usr/lib/libfoo-copy.so.1", "lib/x86_64-linux-gnu/libfoo.so.1"},
                            {F, "etc/ld.so.conf", "new\n"}}));
  elf::RootTree root = root_of_layers(layers);
  // The later layer's file went through /lib -> usr/lib, as in a container.
  EXPECT_EQ(root.resolve("/lib/x86_64-linux-gnu/libfoo.so.1"),
            "/usr/lib/x86_64-linux-gnu/libfoo.so.1");
  EXPECT_EQ(root.read_all("/usr/lib/x86_64-linux-gnu/libfoo.so.1", 100), "ELF bytes");
  EXPECT_EQ(root.read_all("/usr/lib/libfoo-copy.so.1", 100), "ELF bytes");
  EXPECT_EQ(root.read_all("/etc/ld.so.conf", 100), "new\n");
  // Listed, but its bytes were not kept: ldconfig never reads it.
  const elf::RootTree::Node* big = root.find("/usr/share/doc/big");
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->size, 13u);
  EXPECT_FALSE(big->read);
}

TEST_F(DefinitionFixture, LdSoCacheKeyRecordsItsLine) {
  std::string p = write("d.yaml", "name: x\npackages: [libc6]\nld-so-cache: true\n");
  Definition d = load_definition_file(p);
  EXPECT_EQ(d.ld_so_cache, true);
  EXPECT_EQ(d.ld_so_cache_where, p + ":3");
  EXPECT_NE(load_error("ld-so-cache: maybe\n").find("ld-so-cache"), std::string::npos);
}

// A shared object with soname `soname`, compiled by the host's cc; "" when
// there is no compiler.
std::string shared_object(const std::string& dir, const std::string& soname) {
  std::string cc = find_program("cc");
  if (cc.empty()) return "";
  std::string src = join_path(dir, "probe.c"), out = join_path(dir, soname);
  write_file_atomic(src, "int distill_probe(void) { return 42; }\n");
  auto r = run_process({cc, "-shared", "-fPIC", "-Wl,-soname," + soname, "-o", out, src});
  return r.exit_code == 0 ? read_file(out) : "";
}

const std::string kCacheArch = "amd64";  // PartInput keeps a reference

PartInput input(const Definition& def, const Selection& sel, const LayerOptions& opts,
                const GeneratedFiles& plan) {
  return PartInput{def, kCacheArch, sel, opts, plan, nullptr};
}

TEST(LdCachePart, WritesTheCacheOfTheLayersBelow) {
  TempDir tmp;
  std::string so = shared_object(tmp.path(), "libdistill.so.7");
  if (so.empty()) GTEST_SKIP() << "no C compiler";
  Definition def;
  def.ld_so_cache = true;
  def.ld_so_cache_where = "d.yaml:4";
  Selection sel;
  sel.installed.push_back({});
  sel.installed.back().locked.name = "libc6";
  sel.installed.back().locked.version = "2.41-12+deb13u5";
  LayerOptions opts;
  opts.mtime = 1700000000;  // the cache's entry keeps mtime 0 regardless
  GeneratedFiles plan;
  std::vector<LayerJob> jobs;
  std::string dir = tmp.path();
  jobs.push_back({"libs", "libs", [dir, so](const std::string& d) {
                    return layer_of(d, {{F, "opt/custom/libdistill.so.7", so},
                                        {F, "etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n"},
                                        {F, "etc/ld.so.conf.d/x.conf", "/opt/custom\n"}});
                  }});
  kLdCachePart.jobs(input(def, sel, opts, plan), jobs);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_FALSE(jobs[1].run);
  std::vector<BuiltLayer> built = run_layer_jobs(jobs, dir, 2);

  TarReader tar(built[1].layer->open_tar(), "cache layer");
  TarEntry e;
  ASSERT_TRUE(tar.next(e));
  EXPECT_EQ(e.path, "etc/ld.so.cache");
  EXPECT_EQ(e.mode, 0644u);
  EXPECT_EQ(e.mtime, 0);
  EXPECT_EQ(e.uid, 0u);
  elf::LdCache cache = elf::parse_ld_cache(tar.read_all_data(), "cache");
  EXPECT_FALSE(tar.next(e)) << "one entry only, no parent directory";
  ASSERT_EQ(cache.entries.size(), 1u);
  EXPECT_EQ(cache.entries[0].soname, "libdistill.so.7");
  EXPECT_EQ(cache.entries[0].path, "/opt/custom/libdistill.so.7");
  EXPECT_EQ(cache.entries[0].flags, 0x0303);
  EXPECT_EQ(cache.generator, "ldconfig (Debian GLIBC 2.41-12+deb13u5) stable release version 2.41");
}

TEST(LdCachePart, ImageWithoutLibcIsRefusedNamingTheKey) {
  Definition def;
  def.ld_so_cache = true;
  def.ld_so_cache_where = "d.yaml:4";
  Selection sel;
  LayerOptions opts;
  GeneratedFiles plan;
  std::vector<LayerJob> jobs;
  std::string msg = error_of([&] { kLdCachePart.jobs(input(def, sel, opts, plan), jobs); });
  EXPECT_EQ(msg.rfind("d.yaml:4: ld-so-cache:", 0), 0u) << msg;
  EXPECT_NE(msg.find("neither libc-bin nor libc6"), std::string::npos) << msg;
}

TEST(LdCachePart, OffUnlessAsked) {
  Definition def;
  EXPECT_FALSE(kLdCachePart.wanted(def));
  def.ld_so_cache = false;
  EXPECT_FALSE(kLdCachePart.wanted(def));
  def.ld_so_cache = true;
  EXPECT_TRUE(kLdCachePart.wanted(def));
}

}  // namespace
}  // namespace distill
