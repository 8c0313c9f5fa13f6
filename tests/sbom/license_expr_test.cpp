#include "sbom/license_expr.h"

#include <gtest/gtest.h>

namespace distill::sbom {
namespace {

std::string expr(const std::string& line) {
  std::vector<LicenseRef> refs;
  return dep5_expression(line, refs);
}

TEST(LicenseExpr, ShortNamesMapToSpdxIds) {
  EXPECT_EQ(spdx_license_id("GPL-2+"), "GPL-2.0-or-later");
  EXPECT_EQ(spdx_license_id("GPL-2"), "GPL-2.0-only");
  EXPECT_EQ(spdx_license_id("LGPL-2.1+"), "LGPL-2.1-or-later");
  EXPECT_EQ(spdx_license_id("gfdl-niv-1.3+"), "GFDL-1.3-no-invariants-or-later");
  EXPECT_EQ(spdx_license_id("Expat"), "MIT");
  EXPECT_EQ(spdx_license_id("BSD-3-clause"), "BSD-3-Clause");
  EXPECT_EQ(spdx_license_id("Artistic"), "Artistic-1.0");
  EXPECT_EQ(spdx_license_id("MPL-1.1+"), "MPL-1.1+");
  EXPECT_EQ(spdx_license_id("public-domain"), "");
  EXPECT_EQ(spdx_license_id("GPL-x"), "");
}

TEST(LicenseExpr, AndOrAndCommaPrecedence) {
  EXPECT_EQ(expr("GPL-2+"), "GPL-2.0-or-later");
  EXPECT_EQ(expr("Artistic or GPL-1+"), "Artistic-1.0 OR GPL-1.0-or-later");
  EXPECT_EQ(expr("GPL-2+ or Artistic-2.0, and BSD-3-clause"),
            "(GPL-2.0-or-later OR Artistic-2.0) AND BSD-3-Clause");
  EXPECT_EQ(expr("MIT and BSD-2-clause or Zlib"), "MIT AND BSD-2-Clause OR Zlib");
  EXPECT_EQ(expr("MIT, or Zlib and ISC, and CC0"), "(MIT OR (Zlib AND ISC)) AND CC0-1.0");
  EXPECT_EQ(expr("GPL-3+ with GCC-exception-3.1 exception"),
            "GPL-3.0-or-later WITH GCC-exception-3.1");
}

TEST(LicenseExpr, FreeTextIsNotAnExpression) {
  EXPECT_EQ(expr("see below"), "");
  EXPECT_EQ(expr("GPL-2+ or"), "");
  EXPECT_EQ(expr("and MIT"), "");
  EXPECT_EQ(expr("MIT,"), "");
  EXPECT_EQ(expr("GPL-2+ with"), "");
}

TEST(LicenseExpr, UnknownNamesBecomeLicenseRefs) {
  std::vector<LicenseRef> refs;
  EXPECT_EQ(dep5_expression("public-domain or GPL-2+ with OpenSSL exception", refs),
            "LicenseRef-public-domain OR LicenseRef-GPL-2--with-OpenSSL-exception");
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].id, "LicenseRef-public-domain");
  EXPECT_EQ(refs[0].name, "public-domain");
  EXPECT_EQ(refs[1].name, "GPL-2+ with OpenSSL exception");
}

constexpr const char* kDep5 =
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
    "Upstream-Name: example\n"
    "\n"
    "Files: *\n"
    "Copyright: 2020 Someone\n"
    "License: GPL-2+ or Artistic\n"
    "\n"
    "Files: lib/*\n"
    "Copyright: 2021 Other\n"
    "License: public-domain\n"
    " Written by nobody in particular and\n"
    " .\n"
    " placed in the public domain.\n"
    "\n"
    "Files: debian/*\n"
    "Copyright: 2022 Packager\n"
    "License: GPL-2+ or Artistic\n"
    "\n"
    "License: GPL-2+\n"
    " On Debian systems see /usr/share/common-licenses/GPL-2.\n";

TEST(LicenseExpr, Dep5FileJoinsDistinctFilesParagraphsWithAnd) {
  LicenseInfo info = copyright_license(kDep5, "/usr/share/doc/example/copyright");
  EXPECT_EQ(info.expression, "(GPL-2.0-or-later OR Artistic-1.0) AND LicenseRef-public-domain");
  ASSERT_EQ(info.refs.size(), 1u);
  EXPECT_EQ(info.refs[0].text,
            "Written by nobody in particular and\n\nplaced in the public domain.");
}

TEST(LicenseExpr, RefWithoutTextPointsAtTheFile) {
  LicenseInfo info = copyright_license(
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
      "Files: *\nCopyright: 2000 X\nLicense: ad-hoc\n",
      "/usr/share/doc/media-types/copyright");
  EXPECT_EQ(info.expression, "LicenseRef-ad-hoc");
  ASSERT_EQ(info.refs.size(), 1u);
  EXPECT_EQ(info.refs[0].text,
            "License \"ad-hoc\" as named in /usr/share/doc/media-types/copyright (no license text "
            "there).");
}

TEST(LicenseExpr, FreeFormOrUnparsableFilesGiveNoAssertion) {
  EXPECT_EQ(copyright_license("This is the Debian prepackaged version of the GNU C Library.\n"
                              "See /usr/share/common-licenses/LGPL-2.1.\n",
                              "c")
                .expression,
            "");
  EXPECT_EQ(copyright_license("Format: https://www.debian.org/doc/packaging-manuals/"
                              "copyright-format/1.0/\n\nFiles: *\nLicense: GPL-2+ and\n",
                              "c")
                .expression,
            "");
  EXPECT_EQ(copyright_license("Format: https://www.debian.org/doc/packaging-manuals/"
                              "copyright-format/1.0/\n\nFiles: *\nCopyright: none\n",
                              "c")
                .expression,
            "");
}

TEST(LicenseExpr, RenameTouchesWholeTokensOnly) {
  EXPECT_EQ(rename_license_ref("(LicenseRef-a OR LicenseRef-ab) AND LicenseRef-a", "LicenseRef-a",
                               "LicenseRef-a-12345678"),
            "(LicenseRef-a-12345678 OR LicenseRef-ab) AND LicenseRef-a-12345678");
}

}  // namespace
}  // namespace distill::sbom
