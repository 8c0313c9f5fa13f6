#include "registry/challenge.h"

#include <gtest/gtest.h>

#include "registry/base64.h"
#include "registry/url.h"

namespace distill::registry {
namespace {

TEST(Challenge, BearerWithCommasInQuotes) {
  auto c = parse_challenges(
      "Bearer realm=\"https://auth.example/token\",service=\"reg.example\","
      "scope=\"repository:a/b:pull,push\"");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].param("realm"), "https://auth.example/token");
  EXPECT_EQ(c[0].param("service"), "reg.example");
  EXPECT_EQ(c[0].param("scope"), "repository:a/b:pull,push");
}

TEST(Challenge, SeveralSchemesAndUnquoted) {
  auto c = parse_challenges(
      "Basic realm=\"Registry \\\"R\\\"\", BEARER Realm=http://x/t , error=invalid_token");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "basic");
  EXPECT_EQ(c[0].param("realm"), "Registry \"R\"");
  EXPECT_EQ(c[1].scheme, "bearer");
  EXPECT_EQ(c[1].param("realm"), "http://x/t");
  EXPECT_EQ(c[1].param("error"), "invalid_token");
}

TEST(Challenge, MalformedDoesNotThrow) {
  EXPECT_TRUE(parse_challenges("").empty());
  auto c = parse_challenges("Bearer realm=\"unterminated");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("realm"), "unterminated");
  EXPECT_NO_THROW(parse_challenges(",,,=\"\"=="));
}

TEST(Base64, RoundTrip) {
  std::vector<std::string> samples = {"",    "a",          "ab",
                                      "abc", "user:pa:ss", std::string("\0\xff\x10", 3)};
  for (const std::string& s : samples) {
    auto d = base64_decode(base64_encode(s));
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(base64_encode("alice:secret"), "YWxpY2U6c2VjcmV0");
  EXPECT_FALSE(base64_decode("a$b=").has_value());
}

TEST(Url, ResolveAndQuery) {
  EXPECT_EQ(resolve_url("http://h:5/v2/a/blobs/uploads/", "/v2/a/blobs/uploads/x?s=1"),
            "http://h:5/v2/a/blobs/uploads/x?s=1");
  EXPECT_EQ(resolve_url("http://h:5/v2/", "https://o/x"), "https://o/x");
  EXPECT_EQ(add_query("http://h/u?s=1", "digest", "sha256:ab"),
            "http://h/u?s=1&digest=sha256%3Aab");
  EXPECT_EQ(add_query("http://h/u", "from", "a/b"), "http://h/u?from=a%2Fb");
}

}  // namespace
}  // namespace distill::registry
