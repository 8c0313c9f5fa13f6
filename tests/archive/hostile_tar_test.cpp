// Size caps, UTF-8 names and name escaping: the archive-level defences
// against hostile tars (tests/hostile/ drives them through the CLI).
#include <gtest/gtest.h>

#include <string>

#include "archive/size_limits.h"
#include "archive/tar_reader.h"
#include "archive/tar_writer.h"
#include "util/error.h"

namespace distill {

namespace {

TarEntry file(const std::string& path) {
  TarEntry e;
  e.path = path;
  e.type = TarEntry::Type::kFile;
  return e;
}

std::string tar_of(const std::vector<std::pair<std::string, std::string>>& files) {
  StringSink sink;
  {
    TarWriter w(sink);
    for (const auto& [path, data] : files) w.add(file(path), std::string_view(data));
    w.finish();
  }
  return sink.data();
}

// Reads every entry; returns the error message or "".
std::string read_error(const std::string& tar, uint64_t max_member, uint64_t max_total) {
  try {
    TarReader r(std::make_unique<StringSource>(tar), "t.tar");
    r.set_limits(max_member, max_total);
    TarEntry e;
    while (r.next(e)) r.read_all_data();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(SizeLimits, ParsesUnits) {
  EXPECT_EQ(parse_size("1024", "--x"), 1024u);
  EXPECT_EQ(parse_size("512K", "--x"), 512u << 10);
  EXPECT_EQ(parse_size("300M", "--x"), 300ull << 20);
  EXPECT_EQ(parse_size("2G", "--x"), 2ull << 30);
  EXPECT_EQ(parse_size("2GiB", "--x"), 2ull << 30);
  EXPECT_EQ(parse_size("1T", "--x"), 1ull << 40);
}

TEST(SizeLimits, ParsesFractionsOfAUnit) {
  EXPECT_EQ(parse_size("1.5G", "--x"), 3ull << 29);
  EXPECT_EQ(parse_size("1.5GiB", "--x"), 3ull << 29);
  EXPECT_EQ(parse_size("0.5M", "--x"), 512u << 10);
  EXPECT_EQ(parse_size("2.25K", "--x"), 2304u);
  EXPECT_EQ(parse_size("500M", "--x"), 500ull << 20);
  EXPECT_EQ(parse_size("1.0", "--x"), 1u);
  for (const char* odd : {"1.3K", "0.5", "1.1"}) {
    try {
      parse_size(odd, "--max-size");
      ADD_FAILURE() << odd << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                std::string("--max-size '") + odd + "' is not a whole number of bytes");
    }
  }
}

TEST(SizeLimits, RejectsNonsense) {
  for (const char* bad :
       {"", "G", "0", "-1", "1.G", ".5G", "0.0M", "1.5.2G", "2X", "12 M", "1GB2"}) {
    try {
      parse_size(bad, "--max-file-size");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), std::string("--max-file-size must be a positive size such "
                                                   "as 512M, 1.5G or 2GiB, not '") +
                                           bad + "'");
    }
  }
  EXPECT_THROW(parse_size("99999999999999999999", "--x"), Error);
  EXPECT_THROW(parse_size("17000000T", "--x"), Error);
}

TEST(SizeLimits, FormatsWholeUnits) {
  EXPECT_EQ(format_size(1ull << 30), "1 GiB");
  EXPECT_EQ(format_size(16ull << 20), "16 MiB");
  EXPECT_EQ(format_size(1536), "1536 bytes");  // not a whole KiB
  EXPECT_EQ(format_size(100), "100 bytes");
}

TEST(SizeLimits, DefaultsSitBetweenTheFamilyAndADisk) {
  SizeLimits d;
  EXPECT_GT(d.file, 125ull << 20);  // java17's lib/modules
  EXPECT_GT(d.layer, 220ull << 20);
  EXPECT_LT(d.image, 64ull << 30);
}

TEST(TarReaderLimits, MemberOverCapFailsAtItsHeader) {
  std::string tar = tar_of({{"small", "abc"}, {"big", std::string(5000, 'z')}});
  EXPECT_EQ(read_error(tar, 4096, 0),
            "t.tar: member big declares 5000 bytes, over the 4 KiB per-file limit (raise it "
            "with --max-file-size SIZE)");
  EXPECT_EQ(read_error(tar, 5000, 0), "");
}

TEST(TarReaderLimits, TotalCountsSizesAndHeaders) {
  std::string tar = tar_of({{"a", std::string(1000, 'a')}, {"b", std::string(1000, 'b')}});
  // 1000 + 512 + 1000 + 512
  EXPECT_EQ(read_error(tar, 0, 3000),
            "t.tar: members up to b add up to 3024 bytes, over the 3000 bytes per-layer limit "
            "(raise it with --max-layer-size SIZE)");
  EXPECT_EQ(read_error(tar, 0, 3024), "");
}

TEST(TarReaderNames, NonUtf8NameIsRejectedEscaped) {
  std::string tar = tar_of({{"ok", "x"}, {"caf\xe9\n", "x"}});
  EXPECT_EQ(read_error(tar, 0, 0), "t.tar: member name 'caf\\xe9\\x0a' is not valid UTF-8");
  EXPECT_EQ(read_error(tar_of({{"caf\xc3\xa9", "x"}}), 0, 0), "");
}

TEST(Utf8, Validation) {
  EXPECT_TRUE(is_utf8("plain/ascii"));
  EXPECT_TRUE(is_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_utf8("\xe9"));              // Latin-1
  EXPECT_FALSE(is_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_utf8("\xe2\x82"));          // cut short
}

TEST(Utf8, EscapeKeepsMessagesOnOneLine) {
  EXPECT_EQ(escape_name("a\nb\\c\x01\xff"), "a\\x0ab\\\\c\\x01\\xff");
}

}  // namespace distill
