#include "inspect/license.h"

#include <gtest/gtest.h>

#include "inspect/capture.h"

namespace distill::inspect {
namespace {

TEST(License, Dep5ShortNamesSplitAndDeduplicated) {
  const char* text =
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
      "\n"
      "Files: *\n"
      "License: GPL-2+ or Artistic-1.0\n"
      "\n"
      "Files: lib/*\n"
      "License: LGPL-2.1+\n"
      " The text of the license...\n"
      "\n"
      "License: GPL-2+\n"
      " Full text.\n";
  EXPECT_EQ(copyright_licenses(text),
            (std::vector<std::string>{"GPL-2+", "Artistic-1.0", "LGPL-2.1+"}));
}

TEST(License, FreeFormFallsBackToCommonLicenses) {
  const char* text =
      "This is the Debian prepackaged version of the GNU C Library.\n"
      "On Debian systems the full text is in /usr/share/common-licenses/LGPL-2.1.\n"
      "and /usr/share/common-licenses/GPL-2; see also /usr/share/common-licenses/LGPL-2.1\n";
  EXPECT_EQ(copyright_licenses(text), (std::vector<std::string>{"LGPL-2.1", "GPL-2"}));
}

TEST(License, NothingFound) {
  EXPECT_TRUE(copyright_licenses("All rights reserved.\n").empty());
  EXPECT_EQ(split_licenses(join_licenses({"MIT", "BSD-3-clause"})),
            (std::vector<std::string>{"MIT", "BSD-3-clause"}));
}

TEST(GlibcVersionFinder, FindsBannerAcrossChunks) {
  GlibcVersionFinder f;
  std::string data(5000, 'x');
  data += "GNU C Library (Debian GLIBC 2.36-9) stable release version 2.36.\nCopyright";
  for (size_t i = 0; i < data.size(); i += 7)
    f.feed(data.data() + i, std::min<size_t>(7, data.size() - i));
  EXPECT_EQ(f.version(), "2.36");
}

TEST(CaptureRule, PicksSmallFactFiles) {
  EXPECT_EQ(capture_rule("etc/passwd").kind, CaptureKind::kRaw);
  EXPECT_EQ(capture_rule("var/lib/dpkg/status.d/libc6").kind, CaptureKind::kRaw);
  EXPECT_EQ(capture_rule("var/lib/dpkg/status.d/libc6.md5sums").kind, CaptureKind::kNone);
  EXPECT_EQ(capture_rule("usr/share/doc/libc6/copyright").kind, CaptureKind::kLicense);
  EXPECT_EQ(capture_rule("usr/share/doc/libc6/x/copyright").kind, CaptureKind::kNone);
  EXPECT_EQ(capture_rule("usr/lib/x86_64-linux-gnu/libc.so.6").kind, CaptureKind::kGlibcVersion);
  EXPECT_EQ(capture_rule("usr/bin/ls").kind, CaptureKind::kNone);
}

}  // namespace
}  // namespace distill::inspect
