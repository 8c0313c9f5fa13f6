#include "elf/elf_reader.h"

#include <gtest/gtest.h>

#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"

namespace distill::elf {
namespace {

// /bin/true is a dynamically linked executable on every Debian host; its
// interpreter and DT_NEEDED must agree with what readelf says.
TEST(ElfReader, MatchesReadelfOnHostBinary) {
  std::string readelf = find_program("readelf");
  if (readelf.empty()) GTEST_SKIP() << "readelf not installed";
  ElfInfo info = parse_elf_file("/usr/bin/true");
  EXPECT_EQ(info.elf_class, 64);
  EXPECT_TRUE(info.has_interp);
  auto ph = run_process({readelf, "-lW", "/usr/bin/true"});
  ASSERT_EQ(ph.exit_code, 0);
  EXPECT_NE(ph.out.find("[Requesting program interpreter: " + info.interpreter + "]"),
            std::string::npos)
      << info.interpreter;
  auto dyn = run_process({readelf, "-dW", "/usr/bin/true"});
  ASSERT_FALSE(info.needed.empty());
  for (const auto& n : info.needed) {
    EXPECT_NE(dyn.out.find("Shared library: [" + n + "]"), std::string::npos) << n;
  }
  EXPECT_TRUE(info.needed_complete);
}

TEST(ElfReader, SharedLibraryHasSonameAndNoInterp) {
  std::string libc = "/usr/lib/x86_64-linux-gnu/libz.so.1";
  if (!path_exists(libc)) GTEST_SKIP() << libc << " missing";
  ElfInfo info = parse_elf_file(libc);
  EXPECT_EQ(info.type, 3);
  EXPECT_FALSE(info.has_interp);
  EXPECT_EQ(info.soname, "libz.so.1");
}

TEST(ElfReader, PrefixGivesInterpButMayLackNeeded) {
  std::string data = read_file("/usr/bin/true");
  ElfInfo full = parse_elf_prefix(data, "true");
  ElfInfo head = parse_elf_prefix(std::string_view(data).substr(0, 4096), "true");
  EXPECT_EQ(head.interpreter, full.interpreter);
  EXPECT_TRUE(head.has_interp);
}

TEST(ElfReader, RejectsGarbage) {
  EXPECT_FALSE(has_elf_magic("#!/bin/sh\n"));
  EXPECT_THROW(parse_elf_prefix("\x7f"
                                "ELF\x02\x01",
                                "short"),
               Error);
  std::string bad = std::string(
                        "\x7f"
                        "ELF",
                        4) +
                    std::string(60, '\x09');
  EXPECT_THROW(parse_elf_prefix(bad, "bad-class"), Error);
}

}  // namespace
}  // namespace distill::elf
