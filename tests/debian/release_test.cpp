#include "debian/release.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace distill::debian {
namespace {

const char* kRelease =
    "Origin: Debian\n"
    "Suite: stable\n"
    "Codename: bookworm\n"
    "Date: Sat, 10 Jun 2023 08:58:12 UTC\n"
    "Valid-Until: Sat, 17 Jun 2023 08:58:12 +0000\n"
    "Acquire-By-Hash: yes\n"
    "Architectures: amd64 arm64\n"
    "Components: main contrib\n"
    "MD5Sum:\n"
    " 0123456789abcdef0123456789abcdef 100 main/binary-amd64/Packages\n"
    "SHA256:\n"
    " 1111111111111111111111111111111111111111111111111111111111111111 100 "
    "main/binary-amd64/Packages\n"
    " 2222222222222222222222222222222222222222222222222222222222222222  40 "
    "main/binary-amd64/Packages.gz\n"
    " 3333333333333333333333333333333333333333333333333333333333333333  30 "
    "main/binary-amd64/Packages.xz\n"
    " 4444444444444444444444444444444444444444444444444444444444444444 200 "
    "main/binary-arm64/Packages\n";

TEST(Release, ParsesFields) {
  Release r = parse_release(kRelease, "InRelease");
  EXPECT_EQ(r.suite, "stable");
  EXPECT_EQ(r.codename, "bookworm");
  EXPECT_EQ(r.date, "Sat, 10 Jun 2023 08:58:12 UTC");
  EXPECT_EQ(r.date_epoch, 1686387492);
  EXPECT_EQ(r.valid_until_epoch, 1686387492 + 7 * 86400);
  EXPECT_TRUE(r.acquire_by_hash);
  EXPECT_EQ(r.components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_EQ(r.sha256.size(), 4u);  // MD5Sum lines are not taken
  EXPECT_EQ(r.sha256.at("main/binary-amd64/Packages.gz").size, 40u);
}

TEST(Release, PrefersXzThenGzThenPlain) {
  Release r = parse_release(kRelease, "InRelease");
  EXPECT_EQ(find_packages(r, "main", "amd64")->path, "main/binary-amd64/Packages.xz");
  EXPECT_EQ(find_packages(r, "main", "arm64")->path, "main/binary-arm64/Packages");
  EXPECT_EQ(find_packages(r, "contrib", "amd64"), nullptr);
}

TEST(Release, ValidUntil) {
  Release r = parse_release(kRelease, "InRelease");
  EXPECT_NO_THROW(check_valid_until(r, r.valid_until_epoch, "InRelease"));
  try {
    check_valid_until(r, r.valid_until_epoch + 1, "http://127.0.0.1:1/dists/stable/InRelease");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "http://127.0.0.1:1/dists/stable/InRelease: Release expired: Valid-Until is Sat, 17 "
              "Jun 2023 08:58:12 +0000 (the repository is stale or the clock is wrong)");
  }
}

TEST(Release, DateZones) {
  EXPECT_EQ(parse_release_date("Sat, 10 Jun 2023 08:58:12 UTC", "R"), 1686387492);
  EXPECT_EQ(parse_release_date("Sat, 10 Jun 2023 10:58:12 +0200", "R"), 1686387492);
  EXPECT_EQ(parse_release_date("10 Jun 2023 07:58:12 -0100", "R"), 1686387492);
  // A sign without four digits once escaped as std::invalid_argument
  // (fuzz/regressions/release/zone-sign-without-digits).
  for (const char* bad : {"Thu, 13 Nov 2026 02:14:4+ UTC", "Sat, 10 Jun 2023 08:58:12 +02x0"}) {
    try {
      parse_release_date(bad, "InRelease:6");
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                std::string("InRelease:6: unsupported time zone in date '") + bad + "'");
    }
  }
}

TEST(Release, RejectsMalformedLists) {
  EXPECT_THROW(parse_release("Suite: x\n", "R"), Error);  // no SHA256 list
  EXPECT_THROW(parse_release("SHA256:\n xyz 1 main/binary-amd64/Packages\n", "R"), Error);
  EXPECT_THROW(parse_release("SHA256:\n " + std::string(64, 'a') + " 1 ../../etc/passwd\n", "R"),
               Error);
  EXPECT_THROW(parse_release("Date: yesterday\nSHA256:\n " + std::string(64, 'a') + " 1 x\n", "R"),
               Error);
}

TEST(Release, DecompressesIndexFormats) {
  // "hello\n" compressed with gzip -9n and xz, and an empty input.
  const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
                              0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xe7, 0x02, 0x00,
                              0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00};
  EXPECT_EQ(decompress_index(std::string(reinterpret_cast<const char*>(gz), sizeof gz), "P.gz"),
            "hello\n");
  EXPECT_EQ(decompress_index("Package: a\n", "P"), "Package: a\n");
  EXPECT_EQ(decompress_index("", "P"), "");
}

}  // namespace
}  // namespace distill::debian
