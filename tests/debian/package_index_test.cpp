#include "debian/package_index.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace distill::debian {
namespace {

const char* kMain =
    "Package: libfoo1\n"
    "Source: foo (1.0-1)\n"
    "Version: 1.0-1+b1\n"
    "Installed-Size: 120\n"
    "Maintainer: A <a@example.org>\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Provides: libfoo-abi (= 1), foo-virtual\n"
    "Depends: libc6 (>= 2.34),\n"
    " zlib1g\n"
    "Pre-Depends: dpkg\n"
    "Conflicts: oldfoo\n"
    "Breaks: foo-tools (<< 1.0)\n"
    "Recommends: foo-data\n"
    "Description: the foo library\n"
    " Long text.\n"
    " .\n"
    " More.\n"
    "Homepage: https://foo.example.org\n"
    "Section: libs\n"
    "Priority: optional\n"
    "Filename: pool/main/f/foo/libfoo1_1.0-1+b1_amd64.deb\n"
    "Size: 4242\n"
    "SHA256: aaaa\n"
    "\n"
    "Package: foo-tools\n"
    "Version: 1.0-1\n"
    "Architecture: amd64\n"
    "Provides: foo-virtual\n"
    "Essential: yes\n"
    "\n"
    "Package: libfoo1\n"
    "Version: 0.9-1\n"
    "Architecture: amd64\n";

const char* kUpdates =
    "Package: libfoo1\n"
    "Source: foo\n"
    "Version: 1:0.1-1\n"
    "Architecture: amd64\n"
    "Multi-Arch: no\n"
    "\n"
    "Package: libfoo1\n"
    "Version: 1.0-1+b1\n"
    "Architecture: amd64\n";

TEST(PackageIndex, ParsesRecords) {
  PackageIndex idx;
  PackageOrigin main{"file:///repo", "bookworm", "main", "abc"};
  idx.add_packages(kMain, main, "main/Packages");
  ASSERT_EQ(idx.size(), 3u);
  const Package* p = idx.candidate("libfoo1");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->version, "1.0-1+b1");
  EXPECT_EQ(p->architecture, "amd64");
  EXPECT_EQ(p->multi_arch, "same");
  EXPECT_EQ(p->source, "foo");
  EXPECT_EQ(p->source_version, "1.0-1");
  EXPECT_EQ(p->depends, "libc6 (>= 2.34), zlib1g");  // folded
  EXPECT_EQ(p->pre_depends, "dpkg");
  EXPECT_EQ(p->provides, "libfoo-abi (= 1), foo-virtual");
  EXPECT_EQ(p->conflicts, "oldfoo");
  EXPECT_EQ(p->breaks, "foo-tools (<< 1.0)");
  EXPECT_EQ(p->recommends, "foo-data");
  EXPECT_FALSE(p->essential);
  EXPECT_EQ(p->installed_size_kib, 120u);
  EXPECT_EQ(p->size, 4242u);
  EXPECT_EQ(p->sha256, "aaaa");
  EXPECT_EQ(p->filename, "pool/main/f/foo/libfoo1_1.0-1+b1_amd64.deb");
  EXPECT_EQ(p->maintainer, "A <a@example.org>");
  EXPECT_EQ(p->homepage, "https://foo.example.org");
  EXPECT_EQ(p->section, "libs");
  EXPECT_EQ(p->priority, "optional");
  EXPECT_EQ(p->description, "the foo library\nLong text.\n\nMore.");
  EXPECT_EQ(p->origin.suite, "bookworm");
  EXPECT_EQ(p->origin.release_sha256, "abc");
  EXPECT_TRUE(p->control.starts_with("Package: libfoo1\nSource: foo (1.0-1)\n"));
  EXPECT_TRUE(p->control.ends_with("SHA256: aaaa"));
  EXPECT_TRUE(idx.candidate("foo-tools")->essential);
  EXPECT_EQ(idx.candidate("nothing"), nullptr);
  EXPECT_TRUE(idx.versions("nothing").empty());
}

TEST(PackageIndex, HighestCandidateAcrossSuites) {
  PackageIndex idx;
  idx.add_packages(kMain, {"file:///repo", "bookworm", "main", ""}, "main/Packages");
  idx.add_packages(kUpdates, {"file:///repo", "bookworm-updates", "main", ""}, "upd/Packages");
  auto vs = idx.versions("libfoo1");
  ASSERT_EQ(vs.size(), 4u);
  EXPECT_EQ(vs[0]->version, "1:0.1-1");  // the epoch wins
  EXPECT_EQ(vs[0]->origin.suite, "bookworm-updates");
  EXPECT_EQ(vs[0]->source, "foo");
  EXPECT_EQ(vs[0]->source_version, "");
  EXPECT_EQ(vs[0]->multi_arch, "");  // "no" is the default
  EXPECT_EQ(vs[1]->version, "1.0-1+b1");
  EXPECT_EQ(vs[1]->origin.suite, "bookworm");  // equal versions: first added first
  EXPECT_EQ(vs[2]->version, "1.0-1+b1");
  EXPECT_EQ(vs[2]->origin.suite, "bookworm-updates");
  EXPECT_EQ(vs[3]->version, "0.9-1");
  EXPECT_EQ(idx.candidate("libfoo1"), vs[0]);
}

TEST(PackageIndex, Providers) {
  PackageIndex idx;
  idx.add_packages(kMain, {}, "Packages");
  Package extra;
  extra.name = "aaa-foo";
  extra.version = "2";
  extra.architecture = "all";
  extra.provides = "foo-virtual, foo-virtual";
  idx.add(extra);
  auto ps = idx.providers("foo-virtual");
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[0]->name, "aaa-foo");  // by name, provided twice counts once
  EXPECT_EQ(ps[1]->name, "foo-tools");
  EXPECT_EQ(ps[2]->name, "libfoo1");
  ASSERT_EQ(idx.providers("libfoo-abi").size(), 1u);
  EXPECT_TRUE(idx.providers("libfoo1").empty());
  EXPECT_EQ(idx.size(), 4u);
}

std::string index_error_of(const std::string& text) {
  PackageIndex idx;
  try {
    idx.add_packages(text, {}, "dists/x/main/binary-amd64/Packages");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(PackageIndex, ErrorsNameFileLineAndPackage) {
  const std::string f = "dists/x/main/binary-amd64/Packages:";
  EXPECT_EQ(index_error_of("Version: 1\nArchitecture: all\n"),
            f + "1: paragraph without a Package field");
  EXPECT_EQ(index_error_of("Package: a\nArchitecture: all\n"), f + "1: a: missing Version");
  EXPECT_EQ(index_error_of("Package: a\nVersion: 1\n"), f + "1: a: missing Architecture");
  EXPECT_EQ(index_error_of("Package: a\nArchitecture: all\nVersion: 1:\n"),
            f + "3: a: invalid version '1:': nothing after the epoch colon");
  // dpkg only warns about a leading letter; such an index still loads.
  EXPECT_EQ(index_error_of("Package: a\nArchitecture: all\nVersion: x1\n"), "");
  EXPECT_EQ(index_error_of("Package: a\nVersion: 1\nArchitecture: all\nSize: 12k\n"),
            f + "4: a Size: expected a number, got '12k'");
  EXPECT_EQ(index_error_of("Package: a\nVersion: 1\nArchitecture: all\nProvides: b | c\n"),
            f + "4: a: bad Provides 'b | c': alternatives are not allowed");
  EXPECT_EQ(index_error_of("Package: a\nVersion: 1\nArchitecture: all\nSource: s (1\n"),
            f + "4: a: bad Source 's (1'");
  EXPECT_EQ(index_error_of("\n\nPackage: a\nVersion: 1\nArchitecture: all\nbroken\n"),
            f + "6: expected 'Field: value', got 'broken'");
}

}  // namespace
}  // namespace distill::debian
