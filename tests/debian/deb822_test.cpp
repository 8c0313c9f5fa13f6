#include "debian/deb822.h"

#include <gtest/gtest.h>

#include <time.h>

#include <string>

#include "util/error.h"

namespace distill::debian {
namespace {

std::string deb822_error_of(std::string_view text, Deb822Options opts = {}) {
  try {
    parse_deb822(text, "Packages", opts);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Deb822, ParagraphsFieldsAndContinuations) {
  std::string text =
      "Package: foo\n"
      "Version: 1.0\n"
      "Description: short\n"
      " long line one\n"
      " .\n"
      " line three\n"
      "\n"
      "\n"
      "package: bar\r\n"
      "depends: a,\n"
      "  b (>= 1)\n";
  auto ps = parse_deb822(text, "Packages");
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].get("Package"), "foo");
  EXPECT_EQ(ps[0].get("PACKAGE"), "foo");  // case-insensitive
  EXPECT_EQ(ps[0].get("Missing"), "");
  EXPECT_FALSE(ps[0].has("Missing"));
  EXPECT_EQ(ps[0].line(), 1u);
  ASSERT_EQ(ps[0].fields().size(), 3u);
  EXPECT_EQ(ps[0].fields()[2].name, "Description");  // order and spelling kept
  EXPECT_EQ(ps[0].fields()[2].line, 3u);
  EXPECT_EQ(deb822_multiline(ps[0].get("description")), "short\nlong line one\n\nline three");
  EXPECT_EQ(ps[0].text(),
            "Package: foo\nVersion: 1.0\nDescription: short\n long line one\n .\n line three");
  EXPECT_EQ(ps[1].line(), 9u);
  EXPECT_EQ(ps[1].get("Package"), "bar");  // CRLF stripped
  EXPECT_EQ(deb822_folded(ps[1].get("Depends")), "a, b (>= 1)");
  EXPECT_EQ(ps[1].fields()[1].name, "depends");
}

TEST(Deb822, EmptyInputAndWhitespaceOnlyLines) {
  EXPECT_TRUE(parse_deb822("", "x").empty());
  EXPECT_TRUE(parse_deb822("\n\n  \n", "x").empty());
  auto ps = parse_deb822("A: 1\n \t \nB: 2", "x");  // whitespace-only line separates
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[1].get("B"), "2");
  EXPECT_EQ(parse_deb822("A:   padded  \n", "x")[0].get("A"), "padded");
  EXPECT_EQ(parse_deb822("A:\n b\n", "x")[0].get("A"), "b");  // value only on continuation
}

TEST(Deb822, CommentsWhereAllowed) {
  std::string text =
      "# leading comment\n"
      "Types: deb\n"
      "# inside\n"
      "URIs: file:///a\n"
      "Suites: one\n"
      "# between continuation lines\n"
      "  two\n"
      "\n"
      "# trailing\n";
  auto ps = parse_deb822(text, "x.sources", {.allow_comments = true});
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].get("Types"), "deb");
  EXPECT_EQ(ps[0].get("URIs"), "file:///a");
  EXPECT_EQ(deb822_folded(ps[0].get("Suites")), "one two");
  EXPECT_EQ(ps[0].get("Suites").find('#'), std::string_view::npos);
  EXPECT_EQ(deb822_error_of(text),
            "Packages:1: unexpected '#' line (comments are not allowed here)");
}

TEST(Deb822, ErrorsNameFileAndLine) {
  EXPECT_EQ(deb822_error_of("A: 1\nnot a field\n"),
            "Packages:2: expected 'Field: value', got 'not a field'");
  EXPECT_EQ(deb822_error_of(" leading continuation\n"),
            "Packages:1: continuation line outside a field: ' leading continuation'");
  EXPECT_EQ(deb822_error_of("A: 1\n\n b\n"), "Packages:3: continuation line outside a field: ' b'");
  EXPECT_EQ(deb822_error_of("A: 1\nB: 2\na: 3\n"), "Packages:3: duplicate field 'a'");
  EXPECT_EQ(deb822_error_of(": x\n"), "Packages:1: empty field name");
  EXPECT_EQ(deb822_error_of("Bad Name: x\n"),
            "Packages:1: field name 'Bad Name' contains whitespace");
  // The same field name in different paragraphs is fine.
  EXPECT_EQ(deb822_error_of("A: 1\n\nA: 2\n"), "");
}

TEST(Deb822, StreamingParserReusesParagraph) {
  Deb822Parser parser("P: 1\n\nP: 2\nQ: x\n\n\n", "x");
  Deb822Paragraph p;
  ASSERT_TRUE(parser.next(p));
  EXPECT_EQ(p.get("P"), "1");
  ASSERT_TRUE(parser.next(p));
  EXPECT_EQ(p.get("P"), "2");
  EXPECT_EQ(p.fields().size(), 2u);
  EXPECT_FALSE(parser.next(p));
  EXPECT_FALSE(parser.next(p));
}

TEST(Deb822, FoldedAndMultiline) {
  EXPECT_EQ(deb822_folded("  a,\n   b |\tc  "), "a, b | c");
  EXPECT_EQ(deb822_folded(""), "");
  EXPECT_EQ(deb822_multiline("one"), "one");
  EXPECT_EQ(deb822_multiline("x\n  indented\n ."), "x\n indented\n");
}

TEST(Deb822, ClearsignedBody) {
  std::string signed_text =
      "-----BEGIN PGP SIGNED MESSAGE-----\n"
      "Hash: SHA512\n"
      "\n"
      "Origin: Test\n"
      "- -dash line\n"
      "Suite: stable\n"
      "-----BEGIN PGP SIGNATURE-----\n"
      "\n"
      "iQEzBAEBCgAdFiEE\n"
      "-----END PGP SIGNATURE-----\n";
  EXPECT_EQ(clearsigned_body(signed_text, "InRelease"),
            "Origin: Test\n-dash line\nSuite: stable\n");
  auto err = [](const std::string& t) {
    try {
      clearsigned_body(t, "InRelease");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(err("Origin: x\n"),
            "InRelease: text before the signed message (not a clearsigned file)");
  EXPECT_EQ(err(signed_text + "Injected: yes\n"), "InRelease: text after the signature");
  EXPECT_EQ(err(signed_text.substr(0, 60)),
            "InRelease: not a complete clearsigned OpenPGP message");
}

// A Packages-sized input (60k paragraphs, ~60 MB) must parse well under a second.
TEST(Deb822, ParsesALargeIndexWhole) {
  std::string para =
      "Package: libexample-perl-module-name\n"
      "Source: libexample\n"
      "Version: 1:2.34.5-6+deb12u1\n"
      "Installed-Size: 1234\n"
      "Maintainer: Debian Example Maintainers <pkg-example@lists.example.org>\n"
      "Architecture: amd64\n"
      "Multi-Arch: same\n"
      "Depends: libc6 (>= 2.34), libgcc-s1 (>= 3.0), libstdc++6 (>= 12), zlib1g (>= 1:1.2.0)\n"
      "Pre-Depends: dpkg (>= 1.17.14)\n"
      "Description: an example library used to measure the parser\n"
      " This is a long description of the package that goes on for a few\n"
      " lines, just like real descriptions do in the archive.\n"
      " .\n"
      " Another paragraph of description text.\n"
      "Homepage: https://example.org/\n"
      "Description-md5: 0123456789abcdef0123456789abcdef\n"
      "Tag: devel::library, implemented-in::c, role::shared-lib\n"
      "Section: libs\n"
      "Priority: optional\n"
      "Filename: pool/main/libe/libexample/libexample_2.34.5-6+deb12u1_amd64.deb\n"
      "Size: 123456\n"
      "MD5sum: 0123456789abcdef0123456789abcdef\n"
      "SHA256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n\n";
  std::string text;
  text.reserve(para.size() * 60000);
  for (int i = 0; i < 60000; ++i) text += para;
  // Its speed is measured in bench/ (bench_hot_loops: index parsing), not here.
  Deb822Parser parser(text, "Packages");
  Deb822Paragraph p;
  size_t n = 0, fields = 0;
  while (parser.next(p)) {
    ++n;
    fields += p.fields().size();
    if (p.get("SHA256").size() != 64) FAIL();
  }
  EXPECT_EQ(n, 60000u);
  EXPECT_EQ(fields, 60000u * 19);
}

}  // namespace
}  // namespace distill::debian
