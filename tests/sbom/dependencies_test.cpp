#include "sbom/dependencies.h"

#include <gtest/gtest.h>

namespace distill::sbom {
namespace {

InstalledPackage dep_pkg(const std::string& name, const std::string& version,
                         const std::string& depends = "", const std::string& provides = "") {
  InstalledPackage p;
  p.name = name;
  p.version = version;
  p.architecture = "amd64";
  p.depends = depends;
  p.provides = provides;
  p.record = "/var/lib/dpkg/status.d/" + name;
  return p;
}

using Edges = std::vector<std::pair<size_t, size_t>>;

TEST(Dependencies, OnlyEdgesWhoseBothEndsAreInTheImage) {
  std::vector<InstalledPackage> p = {
      dep_pkg("libc6", "2.36-9", "libgcc-s1, debconf (>= 0.5) | debconf-2.0"),
      dep_pkg("libgcc-s1", "12.2.0-14", "gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)"),
      dep_pkg("gcc-12-base", "12.2.0-14"),
  };
  std::vector<std::string> problems;
  EXPECT_EQ(dependency_edges(p, "amd64", &problems), (Edges{{0, 1}, {1, 0}, {1, 2}}));
  EXPECT_TRUE(problems.empty());
}

TEST(Dependencies, AlternativeResolvesToTheOnePresent) {
  std::vector<InstalledPackage> p = {
      dep_pkg("app", "1", "mawk | gawk, libc6"),
      dep_pkg("gawk", "5"),
      dep_pkg("libc6", "2.36"),
      dep_pkg("mawk", "1.3"),
  };
  // Both awks present: the first alternative wins.
  EXPECT_EQ(dependency_edges(p, "amd64", nullptr), (Edges{{0, 2}, {0, 3}}));
  p.pop_back();
  EXPECT_EQ(dependency_edges(p, "amd64", nullptr), (Edges{{0, 1}, {0, 2}}));
}

TEST(Dependencies, ProvidesAndVersionsCount) {
  std::vector<InstalledPackage> p = {
      dep_pkg("app", "1", "awk, libfoo (>= 2), libbar (>= 1)"),
      dep_pkg("libbar-real", "3", "", "libbar (= 1.5)"),
      dep_pkg("libfoo", "1.9"),
      dep_pkg("mawk", "1.3", "", "awk"),
  };
  // libfoo 1.9 does not satisfy (>= 2): no edge to it.
  EXPECT_EQ(dependency_edges(p, "amd64", nullptr), (Edges{{0, 1}, {0, 3}}));
}

TEST(Dependencies, PreDependsAndNoSelfEdges) {
  std::vector<InstalledPackage> p = {dep_pkg("a", "1", "a"), dep_pkg("b", "1")};
  p[0].pre_depends = "b";
  EXPECT_EQ(dependency_edges(p, "amd64", nullptr), (Edges{{0, 1}}));
}

TEST(Dependencies, MalformedFieldIsReportedWithItsRecord) {
  std::vector<InstalledPackage> p = {dep_pkg("a", "1", "b (>> )"), dep_pkg("b", "1")};
  std::vector<std::string> problems;
  EXPECT_TRUE(dependency_edges(p, "amd64", &problems).empty());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("/var/lib/dpkg/status.d/a"), std::string::npos) << problems[0];
}

}  // namespace
}  // namespace distill::sbom
