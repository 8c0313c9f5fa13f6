#include "util/sha256.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace distill {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_digest("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256 h;
  h.update("a");
  h.update("bc");
  EXPECT_EQ(h.hex(), sha256_hex("abc"));
}

TEST(Sha256, DigestHexValidates) {
  EXPECT_EQ(digest_hex("sha256:" + std::string(64, 'a')), std::string(64, 'a'));
  EXPECT_THROW(digest_hex("sha256:abc"), Error);
  EXPECT_THROW(digest_hex("md5:" + std::string(64, 'a')), Error);
  EXPECT_THROW(digest_hex("sha256:" + std::string(64, 'A')), Error);
}

}  // namespace distill
