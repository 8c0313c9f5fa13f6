#include "elf/ld_cache.h"

#include <gtest/gtest.h>

#include "elf/ldconfig.h"
#include "elf/root_tree.h"
#include "error_of.h"

namespace distill::elf {
namespace {

// A minimal shared object: one PT_LOAD covering the file, a PT_DYNAMIC with
// DT_NEEDED/DT_SONAME/DT_STRTAB. Enough for ldconfig's reader on any class,
// byte order and machine.
struct DsoSpec {
  std::string soname;
  std::vector<std::string> needed;
  uint16_t machine = 62;
  bool is64 = true;
  bool big = false;
  uint32_t eflags = 0;
  uint16_t type = 3;
};

std::string make_dso(const DsoSpec& s) {
  size_t eh = s.is64 ? 64 : 52, ph = s.is64 ? 56 : 32, dynent = s.is64 ? 16 : 8;
  std::string strtab(1, '\0');
  std::vector<std::pair<int64_t, uint64_t>> dyn;
  for (const auto& n : s.needed) {
    dyn.push_back({1, strtab.size()});
    strtab += n + '\0';
  }
  if (!s.soname.empty()) {
    dyn.push_back({14, strtab.size()});
    strtab += s.soname + '\0';
  }
  size_t dyn_off = eh + 2 * ph;
  size_t str_off = dyn_off + (dyn.size() + 2) * dynent;
  dyn.push_back({5, str_off});
  dyn.push_back({0, 0});
  size_t total = str_off + strtab.size();
  std::string out;
  auto put = [&](uint64_t v, size_t w) {
    for (size_t i = 0; i < w; ++i)
      out.push_back(static_cast<char>((v >> (8 * (s.big ? w - 1 - i : i))) & 0xff));
  };
  out +=
      "\x7f"
      "ELF";
  out += static_cast<char>(s.is64 ? 2 : 1);
  out += static_cast<char>(s.big ? 2 : 1);
  out += std::string("\x01", 1) + std::string(9, '\0');
  put(s.type, 2);
  put(s.machine, 2);
  put(1, 4);
  size_t aw = s.is64 ? 8 : 4;
  put(0, aw);   // entry
  put(eh, aw);  // phoff
  put(0, aw);   // shoff
  put(s.eflags, 4);
  put(eh, 2);
  put(ph, 2);
  put(2, 2);
  put(0, 6);
  auto phdr = [&](uint32_t type, uint64_t off, uint64_t size) {
    put(type, 4);
    if (s.is64) put(6, 4);
    put(off, aw);
    put(off, aw);
    put(off, aw);
    put(size, aw);
    put(size, aw);
    if (!s.is64) put(6, 4);
    put(8, aw);
  };
  phdr(1, 0, total);
  phdr(2, dyn_off, (dyn.size()) * dynent);
  for (auto [tag, val] : dyn) {
    put(static_cast<uint64_t>(tag), dynent / 2);
    put(val, dynent / 2);
  }
  out += strtab;
  return out;
}

void add_bytes(RootTree& t, const std::string& path, std::string data) {
  auto shared = std::make_shared<std::string>(std::move(data));
  t.add_file(path, shared->size(), [shared](uint64_t off, size_t len) -> std::string {
    if (off >= shared->size()) return {};
    return shared->substr(off, len);
  });
}

std::vector<std::string> cache_paths_of(const LdCache& c) {
  std::vector<std::string> out;
  for (const auto& e : c.entries) out.push_back(e.path);
  return out;
}

TEST(LdCacheLibcmp, DigitsCompareAsNumbersAndAfterLetters) {
  EXPECT_LT(cache_libcmp("libz.so.1", "libzstd.so.1"), 0);  // '.' < 's'
  EXPECT_GT(cache_libcmp("libfoo.so.10", "libfoo.so.9"), 0);
  EXPECT_LT(cache_libcmp("libfoo.so.2", "libfoo.so.10"), 0);
  EXPECT_EQ(cache_libcmp("lib01.so", "lib1.so"), 0);   // numerically equal runs
  EXPECT_GT(cache_libcmp("lib1.so", "liba.so"), 0);    // a digit sorts after a letter
  EXPECT_LT(cache_libcmp("libc.so", "libc.so.6"), 0);  // a prefix sorts first
  EXPECT_EQ(cache_libcmp("libssl.so.3", "libssl.so.3"), 0);
  // Bytes >= 0x80 follow the target's char signedness.
  EXPECT_LT(cache_libcmp("lib\xe9.so", "liba.so", true), 0);
  EXPECT_GT(cache_libcmp("lib\xe9.so", "liba.so", false), 0);
}

TEST(LdCacheSort, SonameDescendingThenFlagsThenInsertionOrder) {
  std::vector<CacheEntry> v = {
      {"libz.so.1", "/a/libz.so.1", 0x303, 0},
      {"ld-linux-x86-64.so.2", "/a/ld-linux-x86-64.so.2", 0x303, 0},
      {"libzstd.so.1", "/a/libzstd.so.1", 0x303, 0},
      {"libz.so.1", "/b/libz.so.1", 0x303, 0},
      {"libz.so.1", "/c/libz.so.1", 0x003, 0},
      {"libc.so.6", "/a/libc.so.6", 0x303, 0},
      {"libc.so.10", "/a/libc.so.10", 0x303, 0},
  };
  sort_cache_entries(v);
  std::vector<std::string> paths;
  for (const auto& e : v) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/a/libzstd.so.1", "/a/libz.so.1", "/b/libz.so.1",
                                             "/c/libz.so.1", "/a/libc.so.10", "/a/libc.so.6",
                                             "/a/ld-linux-x86-64.so.2"}));
}

uint32_t le32(const std::string& b, size_t o) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[o])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[o + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[o + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[o + 3])) << 24;
}

TEST(LdCacheFormat, HeaderEntriesStringsAndExtensionLayout) {
  LdCache c;
  c.generator = "ldconfig (test) stable release version 2.41";
  c.entries = {{"libssl.so.3", "/lib/x86_64-linux-gnu/libssl.so.3", 0x0303, 0},
               {"libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", 0x0303, 0}};
  std::string b = serialize_ld_cache(c);
  EXPECT_EQ(b.substr(0, 20), "glibc-ld.so.cache1.1");
  EXPECT_EQ(le32(b, 20), 2u);             // nlibs
  EXPECT_EQ(static_cast<int>(b[28]), 2);  // little-endian
  uint32_t len_strings = le32(b, 24);
  // Tail merging: each soname is the tail of its path, so only paths are stored.
  EXPECT_EQ(len_strings, std::string("/lib/x86_64-linux-gnu/libssl.so.3").size() + 1 +
                             std::string("/lib/x86_64-linux-gnu/libc.so.6").size() + 1);
  uint32_t ext = le32(b, 32);
  EXPECT_EQ(ext % 4, 0u);
  EXPECT_EQ(ext, (48 + 2 * 24 + len_strings + 3) & ~3u);
  for (int i = 0; i < 2; ++i) {
    size_t o = 48 + 24 * i;
    EXPECT_EQ(le32(b, o), 0x0303u);
    uint32_t key = le32(b, o + 4), value = le32(b, o + 8);
    EXPECT_EQ(key, value + std::string("/lib/x86_64-linux-gnu/").size());
    EXPECT_EQ(std::string(b.c_str() + value), c.entries[i].path);
    EXPECT_EQ(b.substr(o + 12, 12), std::string(12, '\0'));  // osversion, hwcap
  }
  // ldconfig's string order: reversed strings descending, so ".../libc.so.6"
  // ('6' > '3' as the last byte) opens the table.
  EXPECT_EQ(le32(b, 48 + 24 + 8), 48u + 48u);
  EXPECT_EQ(le32(b, ext), 0xeaa42174u);
  EXPECT_EQ(le32(b, ext + 4), 1u);
  EXPECT_EQ(le32(b, ext + 8), 0u);  // tag: generator
  EXPECT_EQ(le32(b, ext + 16), ext + 24);
  EXPECT_EQ(le32(b, ext + 20), c.generator.size());
  EXPECT_EQ(b.substr(ext + 24), c.generator);
  LdCache back = parse_ld_cache(b, "t");
  EXPECT_EQ(back.entries, c.entries);
  EXPECT_EQ(back.generator, c.generator);
  EXPECT_FALSE(back.big_endian);
}

TEST(LdCacheFormat, EmptyCacheIsHeaderPlusExtension) {
  LdCache c;
  c.generator = "g";
  std::string b = serialize_ld_cache(c);
  EXPECT_EQ(b.size(), 48u + 24u + 1u);
  EXPECT_EQ(le32(b, 32), 48u);
}

TEST(LdCacheFormat, BigEndianRoundTrips) {
  LdCache c;
  c.big_endian = true;
  c.generator = "gen";
  c.entries = {{"libc.so.6", "/lib/s390x-linux-gnu/libc.so.6", 0x0403, 0}};
  std::string b = serialize_ld_cache(c);
  EXPECT_EQ(static_cast<int>(b[28]), 3);
  EXPECT_EQ(b.substr(20, 4), std::string("\0\0\0\x01", 4));
  EXPECT_EQ(b.substr(48, 4), std::string("\0\0\x04\x03", 4));
  LdCache back = parse_ld_cache(b, "t");
  EXPECT_TRUE(back.big_endian);
  EXPECT_EQ(back.entries, c.entries);
  EXPECT_EQ(back.generator, "gen");
}

TEST(LdCacheFormat, ParserRejectsForeignAndCorruptData) {
  EXPECT_NE(error_of([] { parse_ld_cache("ld.so-1.7.0", "x"); }).find("not a glibc ld.so.cache"),
            std::string::npos);
  LdCache c;
  c.entries = {{"libc.so.6", "/lib/libc.so.6", 0x0303, 0}};
  std::string b = serialize_ld_cache(c);
  std::string many = b;
  many[20] = '\x7f';  // nlibs larger than the file
  EXPECT_NE(error_of([&] { parse_ld_cache(many, "x"); }).find("entries"), std::string::npos);
  std::string bad = b;
  bad[48 + 8] = '\xff';
  bad[48 + 9] = '\xff';
  EXPECT_NE(error_of([&] { parse_ld_cache(bad, "x"); }).find("outside the cache"),
            std::string::npos);
}

TEST(RootTreeResolve, FollowsSymlinksInsideTheRoot) {
  RootTree t;
  t.add_directory("/usr/lib/x86_64-linux-gnu");
  t.add_symlink("/lib", "usr/lib");
  t.add_symlink("/usr/lib/x86_64-linux-gnu/libz.so.1", "libz.so.1.3");
  add_bytes(t, "/usr/lib/x86_64-linux-gnu/libz.so.1.3", "x");
  t.add_symlink("/escape", "../../../usr/lib");
  t.add_symlink("/loop", "loop");
  EXPECT_EQ(t.resolve("/lib/x86_64-linux-gnu/libz.so.1"),
            std::optional<std::string>("/usr/lib/x86_64-linux-gnu/libz.so.1.3"));
  EXPECT_EQ(t.resolve("/escape"), std::optional<std::string>("/usr/lib"));
  EXPECT_EQ(t.resolve("/loop"), std::nullopt);
  EXPECT_EQ(t.resolve("/lib/missing"), std::nullopt);
  EXPECT_EQ(t.resolve("/lib/x86_64-linux-gnu/libz.so.1.3/x"), std::nullopt);
}

TEST(RootTreeAdd, FollowsSymlinkedParentsLikeTarExtraction) {
  RootTree t;
  t.add_directory("/usr/lib");
  t.add_symlink("/lib", "usr/lib");
  add_bytes(t, "lib/x86_64-linux-gnu/libz.so.1", "x");  // a pre-usrmerge package path
  ASSERT_NE(t.find("/usr/lib/x86_64-linux-gnu/libz.so.1"), nullptr);
  EXPECT_EQ(t.find("/lib")->type, RootTree::Type::kSymlink);
  EXPECT_EQ(t.list("/usr/lib/x86_64-linux-gnu"), std::vector<std::string>{"libz.so.1"});
  EXPECT_EQ(t.list("/"), (std::vector<std::string>{"lib", "usr"}));
}

RootTree conf_tree() {
  RootTree t;
  add_bytes(t, "/etc/ld.so.conf",
            "include ld.so.conf.d/*.conf\n"
            "  /first/   # trailing slash and comment\n"
            "hwcap 0 nosegneg\n"
            "/missing\n");
  add_bytes(t, "/etc/ld.so.conf.d/b.conf", "/b\n/lib/x86_64-linux-gnu\n");
  add_bytes(t, "/etc/ld.so.conf.d/a.conf", "/a=libc6\n");
  add_bytes(t, "/etc/ld.so.conf.d/.hidden.conf", "/hidden\n");
  add_bytes(t, "/etc/ld.so.conf.d/c.conf.off", "/off\n");
  for (const char* d : {"/a", "/b", "/first", "/hidden", "/off", "/usr/lib/x86_64-linux-gnu"})
    t.add_directory(d);
  t.add_symlink("/lib", "usr/lib");
  return t;
}

TEST(Ldconfig, ConfigIncludesGlobsInOrderAndDropsDuplicates) {
  RootTree t = conf_tree();
  // /usr/lib/x86_64-linux-gnu and /usr/lib are the same directories as the
  // /lib paths listed before them, so ldconfig keeps the first spelling.
  EXPECT_EQ(ldconfig_directories(t, CacheArch::kAmd64),
            (std::vector<std::string>{"/a", "/b", "/lib/x86_64-linux-gnu", "/first", "/lib"}));
}

TEST(Ldconfig, IncludeLoopIsAnError) {
  RootTree t;
  add_bytes(t, "/etc/ld.so.conf", "include /etc/ld.so.conf\n");
  EXPECT_NE(error_of([&] { ldconfig_directories(t, CacheArch::kAmd64); }).find("include loop"),
            std::string::npos);
}

TEST(Ldconfig, GlobThroughASymlinkLoopIsBounded) {
  RootTree t;
  t.add_symlink("/a", "/");
  t.add_symlink("/b", "/");
  std::string pattern = "/*";
  for (int i = 0; i < 16; ++i) pattern += "/*";
  add_bytes(t, "/etc/ld.so.conf", "include " + pattern + "\n");
  EXPECT_NE(error_of([&] { ldconfig_directories(t, CacheArch::kAmd64); }).find("narrow it"),
            std::string::npos);
}

TEST(Ldconfig, SonamesLinksDuplicatesAndSkippedFiles) {
  RootTree t;
  t.add_symlink("/lib", "usr/lib");
  std::string d = "/usr/lib/x86_64-linux-gnu";
  add_bytes(t, d + "/libfoo.so.1.2.3", make_dso({"libfoo.so.1", {"libc.so.6"}}));
  t.add_symlink(d + "/libfoo.so.1", "libfoo.so.1.2.3");
  t.add_symlink(d + "/libfoo.so", "libfoo.so.1");          // the linker's link: its own entry
  t.add_symlink(d + "/libfoo.so.1.2", "libfoo.so.1.2.3");  // another name: same soname
  add_bytes(t, d + "/libnoso.so", make_dso({"", {}}));     // no soname: the file name
  add_bytes(t, d + "/libexec.so.1", make_dso({"libexec.so.1", {}, 62, true, false, 0, 2}));
  add_bytes(t, d + "/libarm.so.1", make_dso({"libarm.so.1", {}, 183}));  // foreign machine
  add_bytes(t, d + "/libscript.so", "/* GNU ld script */ GROUP ( libfoo.so.1 )\n");
  t.add_symlink(d + "/libgone.so.1", "libgone.so.1.0");
  t.add_directory(d + "/libdir.so.1");
  add_bytes(t, d + "/notalib.txt", make_dso({"notalib.so", {}}));
  add_bytes(t, "/usr/local/lib/libfoo.so.1", make_dso({"libfoo.so.1", {}}));
  add_bytes(t, "/etc/ld.so.conf", "/usr/local/lib\n");
  LdCache c = build_ld_cache(t, {CacheArch::kAmd64, 241, "g"});
  EXPECT_EQ(cache_paths_of(c), (std::vector<std::string>{
                                   "/lib/x86_64-linux-gnu/libnoso.so",
                                   "/usr/local/lib/libfoo.so.1",  // first directory first
                                   "/lib/x86_64-linux-gnu/libfoo.so.1",
                                   "/lib/x86_64-linux-gnu/libfoo.so",
                               }));
  for (const auto& e : c.entries) EXPECT_EQ(e.flags, 0x0303) << e.path;
}

TEST(Ldconfig, FlagsPerArchitecture) {
  struct Case {
    CacheArch arch;
    DsoSpec dso;
    int32_t want;  // -1: not accepted
  };
  std::vector<Case> cases = {
      {CacheArch::kArm64, {"libx.so.1", {}, 183}, 0x0a03},
      {CacheArch::kRiscv64, {"libx.so.1", {}, 243, true, false, 0x5}, 0x1003},  // lp64d + RVC
      {CacheArch::kRiscv64, {"libx.so.1", {}, 243, true, false, 0x0}, 0x0f03},  // lp64
      {CacheArch::kRiscv64, {"libx.so.1", {}, 243, true, false, 0x2}, -1},      // single float
      {CacheArch::kArmhf, {"libx.so.1", {}, 40, false, false, 0x05000400}, 0x0903},
      {CacheArch::kArmel, {"libx.so.1", {}, 40, false, false, 0x05000200}, 0x0b03},
      {CacheArch::kS390x, {"libx.so.1", {}, 22, true, true}, 0x0403},
      {CacheArch::kS390x, {"libx.so.1", {}, 22, true, false}, -1},  // little-endian object
      {CacheArch::kPpc64el, {"libx.so.1", {}, 21}, 0x0503},
      {CacheArch::kAmd64, {"libx.so.1", {}, 3, false}, 0x0003},  // i386 object, glibc 2.41
  };
  for (const auto& k : cases) {
    RootTree t;
    add_bytes(t, std::string("/usr/lib/") + multiarch_triplet(k.arch) + "/libx.so.1",
              make_dso(k.dso));
    LdCache c = build_ld_cache(t, {k.arch, 241, "g"});
    if (k.want < 0) {
      EXPECT_TRUE(c.entries.empty()) << multiarch_triplet(k.arch);
    } else {
      ASSERT_EQ(c.entries.size(), 1u) << multiarch_triplet(k.arch);
      EXPECT_EQ(c.entries[0].flags, k.want) << multiarch_triplet(k.arch);
    }
    EXPECT_EQ(c.big_endian, k.arch == CacheArch::kS390x);
  }
}

TEST(Ldconfig, Glibc236TypesObjectsByTheirLibcUse) {
  RootTree t;
  std::string d = "/usr/lib32";
  add_bytes(t, d + "/libuses.so.1", make_dso({"libuses.so.1", {"libc.so.6"}, 3, false}));
  add_bytes(t, d + "/ld-linux.so.2", make_dso({"ld-linux.so.2", {}, 3, false}));
  add_bytes(t, "/etc/ld.so.conf", "/usr/lib32\n");
  LdCache c = build_ld_cache(t, {CacheArch::kAmd64, 236, "g"});
  ASSERT_EQ(c.entries.size(), 2u);
  EXPECT_EQ(c.entries[0].soname, "libuses.so.1");
  EXPECT_EQ(c.entries[0].flags, 0x0003);
  EXPECT_EQ(c.entries[1].flags, 0x0001);  // "ELF", as Debian 12's ldconfig -p shows it
}

TEST(Ldconfig, DebianGeneratorString) {
  EXPECT_EQ(debian_ldconfig_generator("2.41-12+deb13u3"),
            "ldconfig (Debian GLIBC 2.41-12+deb13u3) stable release version 2.41");
  EXPECT_EQ(cache_arch_from_debian("riscv64"), CacheArch::kRiscv64);
  EXPECT_EQ(cache_arch_from_debian("sparc64"), std::nullopt);
  LdconfigOptions o = debian_ldconfig_options("arm64", "2.36-9+deb12u14");
  EXPECT_EQ(o.arch, CacheArch::kArm64);
  EXPECT_EQ(o.glibc_version, 236);
  EXPECT_EQ(o.generator, "ldconfig (Debian GLIBC 2.36-9+deb12u14) stable release version 2.36");
  EXPECT_NE(error_of([] { debian_ldconfig_options("sparc64", "2.41-12"); }).find("'sparc64'"),
            std::string::npos);
  EXPECT_NE(error_of([] { debian_ldconfig_options("amd64", "x"); }).find("'x'"), std::string::npos);
}

TEST(Ldconfig, GenerateIsBuildThenSerialize) {
  RootTree t;
  add_bytes(t, "/usr/lib/x86_64-linux-gnu/libz.so.1", make_dso({"libz.so.1", {}}));
  LdconfigOptions o = debian_ldconfig_options("amd64", "2.41-12+deb13u3");
  std::string bytes = generate_ld_so_cache(t, o);
  LdCache c = parse_ld_cache(bytes, "generated");
  ASSERT_EQ(c.entries.size(), 1u);
  EXPECT_EQ(c.entries[0].path, "/usr/lib/x86_64-linux-gnu/libz.so.1");  // no /lib link here
  EXPECT_EQ(c.generator, o.generator);
}

}  // namespace
}  // namespace distill::elf
