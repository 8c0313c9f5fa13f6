#include "debian/resolver.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace distill::debian {
namespace {

PackageIndex index_of(const std::string& packages) {
  PackageIndex idx;
  idx.add_packages(packages, {"file:///r", "stable", "main", ""}, "Packages");
  return idx;
}

// "name=version reason" per package, in output order.
std::vector<std::string> summary(const Resolution& r) {
  std::vector<std::string> out;
  for (const auto& p : r.packages)
    out.push_back(p.package->name + "=" + p.package->version + " " + p.reason);
  return out;
}

std::vector<std::string> names(const Resolution& r) {
  std::vector<std::string> out;
  for (const auto& p : r.packages) out.push_back(p.package->name);
  return out;
}

std::string resolver_error_of(const PackageIndex& idx, const std::vector<Request>& req,
                              const ResolveOptions& opts = {.arch = "amd64", .exclude = {}}) {
  try {
    resolve(idx, req, opts);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const ResolveOptions kAmd64{.arch = "amd64", .exclude = {}};

const char* kBasic =
    "Package: app\nVersion: 1\nArchitecture: amd64\nDepends: libfoo (>= 1.0), libc\n"
    "Pre-Depends: base\n\n"
    "Package: libfoo\nVersion: 1.5\nArchitecture: amd64\nDepends: libc, libbar\n\n"
    "Package: libbar\nVersion: 1\nArchitecture: amd64\nDepends: libfoo\n\n"
    "Package: libc\nVersion: 2.36\nArchitecture: amd64\n\n"
    "Package: base\nVersion: 1\nArchitecture: all\n\n"
    "Package: tool\nVersion: 1\nArchitecture: amd64\nDepends: libc\n";

TEST(Resolver, OrderReasonsPreDependsAndCycles) {
  PackageIndex idx = index_of(kBasic);
  Resolution r = resolve(idx, {{"tool", "", true}, {"app", "", true}}, kAmd64);
  EXPECT_EQ(summary(r),
            (std::vector<std::string>{
                "tool=1 requested", "app=1 requested", "libc=2.36 tool Depends: libc",
                "base=1 app Pre-Depends: base",  // Pre-Depends first
                "libfoo=1.5 app Depends: libfoo (>= 1.0)",
                "libbar=1 libfoo Depends: libbar",  // the libbar<->libfoo cycle ends here
            }));
  EXPECT_TRUE(r.warnings.empty());
  // Same input, same output.
  EXPECT_EQ(summary(resolve(idx, {{"tool", "", true}, {"app", "", true}}, kAmd64)), summary(r));
}

TEST(Resolver, ResolveFalseInstallsOnlyThatPackage) {
  PackageIndex idx = index_of(kBasic);
  EXPECT_EQ(names(resolve(idx, {{"app", "", false}}, kAmd64)), (std::vector<std::string>{"app"}));
  // A hand-listed package still satisfies others' dependencies.
  Resolution r = resolve(idx, {{"libc", "", false}, {"tool", "", true}}, kAmd64);
  EXPECT_EQ(names(r), (std::vector<std::string>{"libc", "tool"}));
  // Requested twice: resolved if any request asks for it.
  EXPECT_EQ(resolve(idx, {{"tool", "", false}, {"tool", "", true}}, kAmd64).packages.size(), 2u);
}

TEST(Resolver, ExcludeDropsDependencies) {
  PackageIndex idx = index_of(
      "Package: ca-certificates\nVersion: 1\nArchitecture: all\n"
      "Depends: openssl, debconf (>= 0.5) | debconf-2.0\n\n"
      "Package: openssl\nVersion: 3\nArchitecture: amd64\nDepends: perl-base\n\n"
      "Package: perl-base\nVersion: 5\nArchitecture: amd64\n\n"
      "Package: debconf\nVersion: 1.5\nArchitecture: all\nProvides: debconf-2.0\n\n"
      "Package: cdebconf\nVersion: 0.2\nArchitecture: amd64\nProvides: debconf-2.0\n");
  Resolution all = resolve(idx, {{"ca-certificates", "", true}}, kAmd64);
  EXPECT_EQ(names(all),
            (std::vector<std::string>{"ca-certificates", "openssl", "perl-base", "debconf"}));
  Resolution r = resolve(idx, {{"ca-certificates", "", true}},
                         {.arch = "amd64", .exclude = {"debconf", "perl-base"}});
  // cdebconf is not pulled in for debconf-2.0: an excluded package counts as present.
  EXPECT_EQ(names(r), (std::vector<std::string>{"ca-certificates", "openssl"}));
  // Depth first: openssl's dependencies are handled before ca-certificates' next one.
  EXPECT_EQ(r.warnings,
            (std::vector<std::string>{"dropped openssl Depends: perl-base (perl-base is excluded)",
                                      "dropped ca-certificates Depends: debconf (>= 0.5) | "
                                      "debconf-2.0 (debconf is excluded)"}));
  EXPECT_EQ(
      resolver_error_of(idx, {{"debconf", "", true}}, {.arch = "amd64", .exclude = {"debconf"}}),
      "cannot install debconf: it is both requested and excluded");
}

TEST(Resolver, ConflictsAreErrorsBreaksAreWarnings) {
  PackageIndex idx = index_of(
      "Package: a\nVersion: 1\nArchitecture: amd64\nConflicts: b (<< 2)\n\n"
      "Package: b\nVersion: 1\nArchitecture: amd64\n\n"
      "Package: c\nVersion: 1\nArchitecture: amd64\nBreaks: b\n\n"
      "Package: mta\nVersion: 1\nArchitecture: amd64\nProvides: mail-transport-agent\n"
      "Conflicts: mail-transport-agent\n\n"
      "Package: d\nVersion: 1\nArchitecture: amd64\nConflicts: mail-transport-agent\n");
  EXPECT_EQ(resolver_error_of(idx, {{"a", "", true}, {"b", "", true}}),
            "cannot install a together with b: a Conflicts: b (<< 2) (a: requested; b: requested)");
  Resolution r = resolve(idx, {{"c", "", true}, {"b", "", true}}, kAmd64);
  EXPECT_EQ(r.warnings, (std::vector<std::string>{"c 1 Breaks: b, but b 1 is in the set"}));
  // A package that provides and conflicts with a virtual name is fine alone...
  EXPECT_TRUE(resolve(idx, {{"mta", "", true}}, kAmd64).warnings.empty());
  // ...and conflicts with another package naming that virtual.
  EXPECT_NE(resolver_error_of(idx, {{"mta", "", true}, {"d", "", true}}), "");
}

TEST(Resolver, AlternativesAvoidConflictsAndBacktrack) {
  PackageIndex idx = index_of(
      "Package: app\nVersion: 1\nArchitecture: amd64\nDepends: x-a | x-b\n\n"
      "Package: x-a\nVersion: 1\nArchitecture: amd64\n\n"
      "Package: x-b\nVersion: 1\nArchitecture: amd64\n\n"
      "Package: hater\nVersion: 1\nArchitecture: amd64\nConflicts: x-a\n\n"
      "Package: app2\nVersion: 1\nArchitecture: amd64\nDepends: y-a | y-b\n\n"
      "Package: y-a\nVersion: 1\nArchitecture: amd64\nDepends: y-mid\n\n"
      "Package: y-mid\nVersion: 1\nArchitecture: amd64\nDepends: missing\n\n"
      "Package: y-b\nVersion: 1\nArchitecture: amd64\n");
  EXPECT_EQ(names(resolve(idx, {{"app", "", true}}, kAmd64)),
            (std::vector<std::string>{"app", "x-a"}));
  EXPECT_EQ(names(resolve(idx, {{"hater", "", true}, {"app", "", true}}, kAmd64)),
            (std::vector<std::string>{"hater", "app", "x-b"}));
  // y-a's dependencies fail two levels down: y-a and y-mid are rolled back.
  EXPECT_EQ(names(resolve(idx, {{"app2", "", true}}, kAmd64)),
            (std::vector<std::string>{"app2", "y-b"}));
  // A later mandatory dependency conflicts with an earlier automatic choice:
  // that choice is given up for its next alternative, as apt does.
  PackageIndex lo = index_of(
      "Package: base\nVersion: 1\nArchitecture: amd64\nDepends: nogui | core\n\n"
      "Package: nogui\nVersion: 1\nArchitecture: amd64\nConflicts: core\n\n"
      "Package: core\nVersion: 1\nArchitecture: amd64\n\n"
      "Package: writer\nVersion: 1\nArchitecture: amd64\nDepends: base, core\n\n"
      "Package: stuck\nVersion: 1\nArchitecture: amd64\nDepends: nogui, core\n");
  EXPECT_EQ(names(resolve(lo, {{"base", "", true}}, kAmd64)),
            (std::vector<std::string>{"base", "nogui"}));
  EXPECT_EQ(names(resolve(lo, {{"writer", "", true}}, kAmd64)),
            (std::vector<std::string>{"writer", "base", "core"}));
  EXPECT_EQ(resolver_error_of(lo, {{"stuck", "", true}}),
            "cannot install nogui together with core: nogui Conflicts: core (nogui: stuck Depends: "
            "nogui; core: stuck Depends: core)");
  // An alternative already in the set wins over the first one.
  EXPECT_EQ(names(resolve(idx, {{"x-b", "", true}, {"app", "", true}}, kAmd64)),
            (std::vector<std::string>{"x-b", "app"}));
}

const char* kVirtual =
    "Package: needs-awk\nVersion: 1\nArchitecture: amd64\nDepends: awk\n\n"
    "Package: gawk\nVersion: 5\nArchitecture: amd64\nProvides: awk\n\n"
    "Package: mawk\nVersion: 1.3\nArchitecture: amd64\nProvides: awk\n\n"
    "Package: needs-mta\nVersion: 1\nArchitecture: amd64\nDepends: mta\n\n"
    "Package: exim\nVersion: 4\nArchitecture: amd64\nProvides: mta\n\n"
    "Package: needs-abi\nVersion: 1\nArchitecture: amd64\nDepends: abi (>= 2)\n\n"
    "Package: abi-unversioned\nVersion: 9\nArchitecture: amd64\nProvides: abi\n\n"
    "Package: abi-two\nVersion: 1\nArchitecture: amd64\nProvides: abi (= 2.1)\n";

TEST(Resolver, VirtualPackages) {
  PackageIndex idx = index_of(kVirtual);
  // Several equal providers: deterministic (by name) and warned.
  Resolution r = resolve(idx, {{"needs-awk", "", true}}, kAmd64);
  EXPECT_EQ(names(r), (std::vector<std::string>{"needs-awk", "gawk"}));
  EXPECT_EQ(r.warnings, (std::vector<std::string>{
                            "needs-awk Depends: awk: several packages provide it (gawk, mawk); "
                            "chose gawk, request another explicitly to override"}));
  // A real first alternative that also provides the second is no tie.
  PackageIndex idx2 = index_of(std::string(kVirtual) +
                               "\nPackage: needs-gawk\nVersion: 1\nArchitecture: amd64\n"
                               "Depends: gawk | awk\n");
  Resolution g = resolve(idx2, {{"needs-gawk", "", true}}, kAmd64);
  EXPECT_EQ(names(g), (std::vector<std::string>{"needs-gawk", "gawk"}));
  EXPECT_TRUE(g.warnings.empty());
  // A requested provider is used, silently.
  Resolution m = resolve(idx, {{"needs-awk", "", true}, {"mawk", "", true}}, kAmd64);
  EXPECT_EQ(names(m), (std::vector<std::string>{"needs-awk", "mawk"}));
  EXPECT_TRUE(m.warnings.empty());
  EXPECT_EQ(summary(resolve(idx, {{"needs-mta", "", true}}, kAmd64))[1],
            "exim=4 needs-mta Depends: mta");
  // Versioned dependency: only a versioned Provides can satisfy it.
  EXPECT_EQ(names(resolve(idx, {{"needs-abi", "", true}}, kAmd64)),
            (std::vector<std::string>{"needs-abi", "abi-two"}));
  // Requesting a virtual package: its only provider, or an error among several.
  Resolution v = resolve(idx, {{"mta", "", true}}, kAmd64);
  EXPECT_EQ(summary(v), (std::vector<std::string>{"exim=4 requested as mta"}));
  EXPECT_EQ(v.warnings,
            (std::vector<std::string>{"selecting exim instead of virtual package mta"}));
  EXPECT_EQ(resolver_error_of(idx, {{"awk", "", true}}),
            "cannot install awk: it is a virtual package provided by gawk, mawk; request one of "
            "them explicitly");
}

TEST(Resolver, PriorityBreaksProviderTies) {
  PackageIndex idx = index_of(std::string(kVirtual) +
                              "\nPackage: zawk\nVersion: 1\nArchitecture: amd64\nProvides: awk\n"
                              "Priority: required\n");
  Resolution r = resolve(idx, {{"needs-awk", "", true}}, kAmd64);
  EXPECT_EQ(names(r), (std::vector<std::string>{"needs-awk", "zawk"}));
  EXPECT_TRUE(r.warnings.empty());
}

const char* kVersions =
    "Package: lib\nVersion: 1.0\nArchitecture: amd64\n\n"
    "Package: lib\nVersion: 2.0\nArchitecture: amd64\n\n"
    "Package: old-user\nVersion: 1\nArchitecture: amd64\nDepends: lib (<< 2)\n\n"
    "Package: new-user\nVersion: 1\nArchitecture: amd64\nDepends: lib (>= 2)\n\n"
    "Package: far-user\nVersion: 1\nArchitecture: amd64\nDepends: lib (>= 3)\n";

TEST(Resolver, VersionConstraints) {
  PackageIndex idx = index_of(kVersions);
  EXPECT_EQ(resolve(idx, {{"lib", "", true}}, kAmd64).packages[0].package->version, "2.0");
  EXPECT_EQ(resolve(idx, {{"lib", "= 1.0", true}}, kAmd64).packages[0].package->version, "1.0");
  EXPECT_EQ(resolve(idx, {{"lib", "<< 9", true}}, kAmd64).packages[0].package->version, "2.0");
  EXPECT_EQ(resolver_error_of(idx, {{"lib", ">= 3", true}}),
            "cannot install lib (>= 3): lib has only 2.0 (amd64), 1.0 (amd64)");
  EXPECT_EQ(resolver_error_of(idx, {{"lib", "~ 3", true}}),
            "request lib: bad relation 'lib (~ 3)': expected one of << <= = >= >> before the "
            "version");
  // The highest version that satisfies the relation (apt would give up here).
  EXPECT_EQ(summary(resolve(idx, {{"old-user", "", true}}, kAmd64))[1],
            "lib=1.0 old-user Depends: lib (<< 2)");
  EXPECT_EQ(resolver_error_of(idx, {{"new-user", "", true}, {"old-user", "", true}}),
            "cannot install old-user: old-user Depends: lib (<< 2) -> lib 2.0 is already selected");
  EXPECT_EQ(
      resolver_error_of(idx, {{"far-user", "", true}}),
      "cannot install far-user: far-user Depends: lib (>= 3) -> lib has only 2.0 (amd64), 1.0 "
      "(amd64)");
  EXPECT_EQ(resolver_error_of(idx, {{"nope", "", true}}),
            "cannot install nope: no package nope in any index");
  EXPECT_EQ(resolver_error_of(idx, {{"lib", "", true}}, {.arch = "", .exclude = {}}),
            "dependency resolution needs a target architecture");
}

TEST(Resolver, MultiArch) {
  PackageIndex idx = index_of(
      "Package: py\nVersion: 3\nArchitecture: amd64\nMulti-Arch: allowed\n\n"
      "Package: perl\nVersion: 5\nArchitecture: amd64\n\n"
      "Package: uses-py\nVersion: 1\nArchitecture: amd64\nDepends: py:any\n\n"
      "Package: uses-perl\nVersion: 1\nArchitecture: amd64\nDepends: perl:any\n\n"
      "Package: armtool\nVersion: 1\nArchitecture: arm64\nMulti-Arch: foreign\n\n"
      "Package: armlib\nVersion: 1\nArchitecture: arm64\n\n"
      "Package: uses-arm\nVersion: 1\nArchitecture: amd64\nDepends: armtool\n\n"
      "Package: uses-armlib\nVersion: 1\nArchitecture: amd64\nDepends: armlib\n");
  EXPECT_EQ(names(resolve(idx, {{"uses-py", "", true}}, kAmd64)),
            (std::vector<std::string>{"uses-py", "py"}));
  EXPECT_EQ(resolver_error_of(idx, {{"uses-perl", "", true}}),
            "cannot install uses-perl: uses-perl Depends: perl:any -> perl has only 5 (amd64)");
  EXPECT_EQ(names(resolve(idx, {{"uses-arm", "", true}}, kAmd64)),
            (std::vector<std::string>{"uses-arm", "armtool"}));
  EXPECT_EQ(resolver_error_of(idx, {{"uses-armlib", "", true}}),
            "cannot install uses-armlib: uses-armlib Depends: armlib -> armlib has only 1 (arm64)");
  // Requests are for the target architecture (or "all").
  EXPECT_EQ(resolver_error_of(idx, {{"armlib", "", true}}),
            "cannot install armlib: armlib has only 1 (arm64)");
}

TEST(Resolver, BadRelationNamesThePackage) {
  PackageIndex idx = index_of("Package: a\nVersion: 1\nArchitecture: amd64\nDepends: b (>= )\n");
  EXPECT_EQ(resolver_error_of(idx, {{"a", "", true}}),
            "a 1 Depends: bad relation 'b (>= )': missing version");
}

}  // namespace
}  // namespace distill::debian
