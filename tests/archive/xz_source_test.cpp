#include "archive/xz_source.h"

#include <gtest/gtest.h>

#include <string>

#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"

namespace distill {

namespace {

std::string xz_sample(size_t size) {
  std::string s(size, '\0');
  uint32_t x = 99;
  for (size_t i = 0; i < size; ++i) {
    x = x * 1664525 + 1013904223;
    s[i] = static_cast<char>(i % 50 < 30 ? 'A' + (i % 23) : (x >> 24));
  }
  return s;
}

// xz(1) with the given extra flags (--block-size for several blocks).
std::string xz_tool(const std::string& data, const std::string& flags) {
  TempDir dir;
  std::string p = join_path(dir.path(), "d");
  write_file_atomic(p, data);
  auto r = run_process({"sh", "-c", "xz -c -T1 " + flags + " '" + p + "'"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::string xz_decode(const std::string& xz, uint32_t threads) {
  auto src = make_xz_decoder(std::make_unique<StringSource>(xz), "test.xz", threads);
  return read_all(*src);
}

}  // namespace

TEST(XzDecoder, MultiBlockDecodesTheSameOnAnyThreadCount) {
  if (find_program("xz").empty()) GTEST_SKIP() << "xz not installed";
  std::string data = xz_sample(5 << 20);
  std::string xz = xz_tool(data, "--block-size=1MiB");
  EXPECT_EQ(xz_decode(xz, 1), data);
  EXPECT_EQ(xz_decode(xz, 2), data);
  EXPECT_EQ(xz_decode(xz, 0), data);
  // Single block, and two concatenated streams (xz -d reads both).
  std::string one = xz_tool(data.substr(0, 100000), "");
  for (uint32_t threads : {1u, 2u}) {
    EXPECT_EQ(xz_decode(one, threads), data.substr(0, 100000));
    EXPECT_EQ(xz_decode(one + one, threads), data.substr(0, 100000) + data.substr(0, 100000));
  }
}

// One thread (liblzma's single-threaded decoder) and two (its threaded
// one) refuse the same bad data.
TEST(XzDecoder, TruncatedCorruptAndForeignDataAreErrorsNamingTheData) {
  if (find_program("xz").empty()) GTEST_SKIP() << "xz not installed";
  std::string xz = xz_tool(xz_sample(3 << 20), "--block-size=1MiB");
  for (uint32_t threads : {1u, 2u}) {
    SCOPED_TRACE(threads);
    for (size_t cut : {size_t{3}, size_t{40}, xz.size() / 2, xz.size() - 1}) {
      try {
        xz_decode(xz.substr(0, cut), threads);
        ADD_FAILURE() << "cut " << cut << " decoded";
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("test.xz: "), std::string::npos) << e.what();
      }
    }
    std::string bad = xz;
    for (size_t i = xz.size() / 3; i < xz.size() / 3 + 64; ++i) bad[i] = static_cast<char>(~bad[i]);
    EXPECT_THROW(xz_decode(bad, threads), Error);
    EXPECT_THROW(xz_decode("not xz at all, just text", threads), Error);
  }
}

// Threads cost CPU that two cores do not have to spare (xz_source.cpp).
TEST(XzDecoder, OneThreadUpToTwoCoresThenOnePerCore) {
  EXPECT_EQ(xz_threads_for(0), 1u);
  EXPECT_EQ(xz_threads_for(1), 1u);
  EXPECT_EQ(xz_threads_for(2), 1u);
  EXPECT_EQ(xz_threads_for(3), 3u);
  EXPECT_EQ(xz_threads_for(8), 8u);
}

}  // namespace distill
