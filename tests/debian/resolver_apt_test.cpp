// Resolution must agree with apt: builds a small repository of real .debs
// (two suites), points a throw-away apt root at it (file://, no network)
// and compares `apt-get install --simulate` with resolve() per request.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "debian/package_index.h"
#include "debian/resolver.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"
#include "util/sha256.h"

namespace distill::debian {
namespace {

struct FixturePackage {
  const char* suite;
  const char* control;  // without Maintainer/Description, added below
};

// Every case the resolver must agree with apt on: chains, a cycle,
// Pre-Depends, alternatives, virtual and versioned provides, Priority among
// providers, epochs, an upgrade in a second suite, Multi-Arch, failures.
const FixturePackage kPackages[] = {
    {"main", "Package: base-lib\nVersion: 1.0-1\nArchitecture: amd64\n"},
    {"main", "Package: libc-fake\nVersion: 2.36-9\nArchitecture: amd64\nMulti-Arch: same\n"},
    {"main",
     "Package: app\nVersion: 1.0-1\nArchitecture: amd64\nPre-Depends: base-lib\n"
     "Depends: libfoo (>= 1.0), libc-fake (>= 2.36)\n"},
    {"main", "Package: libfoo\nVersion: 1.2-1\nArchitecture: amd64\nDepends: libbar\n"},
    {"main", "Package: libbar\nVersion: 1.0-1\nArchitecture: amd64\nDepends: libfoo (>= 1.0)\n"},
    {"main", "Package: alt-b\nVersion: 1.0\nArchitecture: amd64\n"},
    {"main", "Package: alt-c\nVersion: 1.0\nArchitecture: amd64\n"},
    {"main",
     "Package: alt-user\nVersion: 1.0\nArchitecture: amd64\nDepends: missing-pkg | alt-b\n"},
    {"main", "Package: alt2-user\nVersion: 1.0\nArchitecture: amd64\nDepends: alt-c | alt-b\n"},
    {"main",
     "Package: pref-user\nVersion: 1.0\nArchitecture: amd64\nDepends: alt-b, alt-c | alt-b\n"},
    {"main",
     "Package: mta-one\nVersion: 1.0\nArchitecture: amd64\nProvides: mail-transport-agent\n"},
    {"main",
     "Package: needs-mta\nVersion: 1.0\nArchitecture: all\nDepends: mail-transport-agent\n"},
    {"main",
     "Package: libabi-old\nVersion: 1.0\nArchitecture: amd64\nProvides: libabi-virtual (= 1)\n"},
    {"main",
     "Package: libabi-new\nVersion: 2.0\nArchitecture: amd64\nProvides: libabi-virtual (= 2)\n"},
    {"main", "Package: libabi-unv\nVersion: 3.0\nArchitecture: amd64\nProvides: libabi-virtual\n"},
    {"main",
     "Package: needs-abi\nVersion: 1.0\nArchitecture: amd64\nDepends: libabi-virtual (>= 2)\n"},
    {"main",
     "Package: mawk\nVersion: 1.3.4\nArchitecture: amd64\nPriority: required\nProvides: awk\n"},
    {"main",
     "Package: gawk\nVersion: 5.2\nArchitecture: amd64\nPriority: optional\nProvides: awk\n"},
    {"main", "Package: needs-awk\nVersion: 1.0\nArchitecture: amd64\nDepends: awk\n"},
    {"main", "Package: epkg\nVersion: 2.0-1\nArchitecture: amd64\n"},
    {"updates", "Package: epkg\nVersion: 1:0.9-1\nArchitecture: amd64\n"},
    {"main", "Package: epoch-user\nVersion: 1.0\nArchitecture: amd64\nDepends: epkg (>= 1:0.5)\n"},
    {"main", "Package: upgraded\nVersion: 1.0-1\nArchitecture: amd64\n"},
    {"updates", "Package: upgraded\nVersion: 2.0-1\nArchitecture: amd64\n"},
    {"main", "Package: upg-user\nVersion: 1.0\nArchitecture: amd64\nDepends: upgraded (>= 2.0)\n"},
    {"main", "Package: interp\nVersion: 3.11\nArchitecture: amd64\nMulti-Arch: allowed\n"},
    {"main", "Package: any-user\nVersion: 1.0\nArchitecture: amd64\nDepends: interp:any (>= 3)\n"},
    {"main", "Package: tooling\nVersion: 1.0\nArchitecture: all\nMulti-Arch: foreign\n"},
    {"main", "Package: indep-lib\nVersion: 1.0\nArchitecture: all\n"},
    {"main",
     "Package: tool-user\nVersion: 1.0\nArchitecture: amd64\nDepends: tooling, indep-lib\n"},
    {"main", "Package: realpkg\nVersion: 1.0\nArchitecture: amd64\n"},
    {"main", "Package: prov-realpkg\nVersion: 9.0\nArchitecture: amd64\nProvides: realpkg\n"},
    {"main", "Package: needs-real\nVersion: 1.0\nArchitecture: amd64\nDepends: realpkg\n"},
    {"main", "Package: broken\nVersion: 1.0\nArchitecture: amd64\nDepends: nonexistent-lib\n"},
    {"main", "Package: broken-ver\nVersion: 1.0\nArchitecture: amd64\nDepends: libfoo (>= 5)\n"},
    {"main", "Package: mid\nVersion: 1.0\nArchitecture: amd64\nDepends: broken\n"},
    {"main", "Package: deep\nVersion: 1.0\nArchitecture: amd64\nDepends: mid\n"},
    // The first alternative conflicts with what a later dependency needs.
    {"main", "Package: lo-base\nVersion: 1.0\nArchitecture: amd64\nDepends: lo-nogui | lo-core\n"},
    {"main", "Package: lo-nogui\nVersion: 1.0\nArchitecture: amd64\nConflicts: lo-core\n"},
    {"main", "Package: lo-core\nVersion: 1.0\nArchitecture: amd64\n"},
    {"main", "Package: lo-writer\nVersion: 1.0\nArchitecture: amd64\nDepends: lo-base, lo-core\n"},
};

const std::vector<std::vector<std::string>> kRequests = {
    {"app"},       {"alt-user"},   {"alt2-user"},
    {"pref-user"}, {"needs-mta"},  {"needs-abi"},
    {"needs-awk"}, {"epoch-user"}, {"upg-user"},
    {"any-user"},  {"tool-user"},  {"needs-real"},
    {"broken"},    {"broken-ver"}, {"deep"},
    {"lo-writer"}, {"lo-base"},    {"app", "needs-awk", "tool-user"},
};

// What both must choose, so that agreeing on a wrong answer fails too.
const std::map<std::string, std::set<std::string>> kExpected = {
    {"app", {"app=1.0-1", "base-lib=1.0-1", "libfoo=1.2-1", "libbar=1.0-1", "libc-fake=2.36-9"}},
    {"alt-user", {"alt-user=1.0", "alt-b=1.0"}},
    {"alt2-user", {"alt2-user=1.0", "alt-c=1.0"}},
    {"pref-user", {"pref-user=1.0", "alt-b=1.0"}},
    {"needs-mta", {"needs-mta=1.0", "mta-one=1.0"}},
    {"needs-abi", {"needs-abi=1.0", "libabi-new=2.0"}},
    {"needs-awk", {"needs-awk=1.0", "mawk=1.3.4"}},
    {"epoch-user", {"epoch-user=1.0", "epkg=1:0.9-1"}},
    {"upg-user", {"upg-user=1.0", "upgraded=2.0-1"}},
    {"any-user", {"any-user=1.0", "interp=3.11"}},
    {"tool-user", {"tool-user=1.0", "tooling=1.0", "indep-lib=1.0"}},
    {"needs-real", {"needs-real=1.0", "realpkg=1.0"}},
    {"lo-writer", {"lo-writer=1.0", "lo-base=1.0", "lo-core=1.0"}},
    {"lo-base", {"lo-base=1.0", "lo-nogui=1.0"}},
};

const std::map<std::string, std::string> kExpectedErrors = {
    {"broken",
     "cannot install broken: broken Depends: nonexistent-lib -> no package nonexistent-lib in any "
     "index"},
    {"broken-ver",
     "cannot install broken-ver: broken-ver Depends: libfoo (>= 5) -> libfoo has only 1.2-1 "
     "(amd64)"},
    {"deep",
     "cannot install deep: deep Depends: mid -> mid Depends: broken -> broken Depends: "
     "nonexistent-lib -> no package nonexistent-lib in any index"},
};

class AptFixture {
 public:
  AptFixture() : dir_("", "distill-apt-test") {
    std::string script = "set -e\ncd '" + dir_.path() + "'\n";
    int n = 0;
    for (const auto& p : kPackages) {
      std::string build = join_path(dir_.path(), "build/" + std::to_string(n++));
      make_dirs(join_path(build, "DEBIAN"));
      write_file_atomic(
          join_path(build, "DEBIAN/control"),
          std::string(p.control) + "Maintainer: Test <test@example.org>\nDescription: fixture\n");
      make_dirs(join_path(dir_.path(), std::string("repo/") + p.suite));
      // dpkg-deb mostly waits; run them 8 at a time.
      script += "dpkg-deb --build -Zgzip '" + build + "' repo/" + p.suite + "/ >/dev/null &\n";
      if (n % 8 == 0) script += "wait\n";
    }
    script += "wait\n";
    for (const char* suite : {"main", "updates"})
      script += std::string("(cd repo/") + suite +
                " && dpkg-scanpackages -m . /dev/null 2>/dev/null > Packages)\n";
    ProcessResult r = run_process({"sh", "-c", script}, "", 120);
    if (r.exit_code != 0) throw Error("building the fixture repository failed: " + r.err);

    root_ = join_path(dir_.path(), "aptroot");
    for (const char* d :
         {"etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d",
          "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/log/apt"})
      make_dirs(join_path(root_, d));
    write_file_atomic(join_path(root_, "status"), "");
    write_file_atomic(join_path(root_, "apt.conf"), "");
    std::string sources;
    for (const char* suite : {"main", "updates"}) {
      std::string repo = join_path(dir_.path(), std::string("repo/") + suite);
      std::string packages = read_file(join_path(repo, "Packages"));
      packages_[suite] = packages;
      // A Release file lets apt name the suite; [trusted=yes] skips signatures.
      write_file_atomic(
          join_path(repo, "Release"),
          std::string("Origin: fixture\nLabel: fixture\nSuite: ") + suite + "\nCodename: " + suite +
              "\nDate: Sat, 01 Jan 2000 00:00:00 UTC\nArchitectures: amd64\n"
              "SHA256:\n " +
              sha256_hex(packages) + " " + std::to_string(packages.size()) + " Packages\n");
      sources += "deb [trusted=yes] file:" + repo + " ./\n";
    }
    write_file_atomic(join_path(root_, "etc/apt/sources.list"), sources);
    ProcessResult u = apt({"update"});
    if (u.exit_code != 0) throw Error("apt-get update failed: " + u.err);
  }

  ProcessResult apt(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {
        "env",
        "APT_CONFIG=" + join_path(root_, "apt.conf"),
        "LC_ALL=C",
        "apt-get",
        "-q",
        "-o",
        "Dir=" + root_,
        "-o",
        "Dir::State::status=" + join_path(root_, "status"),
        "-o",
        "Dir::Etc::sourcelist=" + join_path(root_, "etc/apt/sources.list"),
        "-o",
        "Dir::Etc::sourceparts=" + join_path(root_, "etc/apt/sources.list.d"),
        "-o",
        "APT::Architecture=amd64",
        "-o",
        "APT::Architectures::=amd64",
        "-o",
        "APT::Install-Recommends=false",
        "-o",
        "APT::Install-Suggests=false",
        "-o",
        "Debug::NoLocking=1",
        "-o",
        "APT::Sandbox::User=root",
        "-o",
        "Acquire::Languages=none"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, "", 60);
  }

  const std::map<std::string, std::string>& packages() const { return packages_; }

 private:
  TempDir dir_;
  std::string root_;
  std::map<std::string, std::string> packages_;  // suite: Packages text
};

// "Inst name (version suite [arch])" lines of a simulation -> "name=version".
std::set<std::string> apt_installs(const std::string& out) {
  std::set<std::string> s;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with("Inst ")) continue;
    std::istringstream words(line.substr(5));
    std::string name, version;
    words >> name >> version;
    s.insert(name + "=" + version.substr(1));
  }
  return s;
}

TEST(ResolverApt, AgreesWithAptGetSimulate) {
  if (find_program("apt-get").empty() || find_program("dpkg-deb").empty() ||
      find_program("dpkg-scanpackages").empty())
    GTEST_SKIP() << "apt-get/dpkg-deb/dpkg-scanpackages not installed";
  AptFixture fx;
  PackageIndex index;
  for (const auto& [suite, text] : fx.packages())
    index.add_packages(text, {"file:///fixture", suite, "main", ""}, suite + "/Packages");
  ASSERT_EQ(index.size(), std::size(kPackages));

  int agreed_installs = 0, agreed_failures = 0;
  for (const auto& names : kRequests) {
    std::string label;
    std::vector<Request> requests;
    for (const auto& n : names) {
      label += (label.empty() ? "" : " ") + n;
      requests.push_back({n, "", true});
    }
    std::vector<std::string> args = {"install", "--simulate"};
    args.insert(args.end(), names.begin(), names.end());
    ProcessResult apt = fx.apt(args);
    std::set<std::string> ours;
    std::string our_error;
    try {
      Resolution res = resolve(index, requests, {.arch = "amd64", .exclude = {}});
      for (const auto& r : res.packages) ours.insert(r.package->name + "=" + r.package->version);
    } catch (const Error& e) {
      our_error = e.what();
    }
    if (apt.exit_code != 0) {
      EXPECT_FALSE(our_error.empty()) << label << ": apt failed but distill resolved it\n"
                                      << apt.out;
      EXPECT_EQ(our_error, kExpectedErrors.at(label));
      ++agreed_failures;
      continue;
    }
    EXPECT_EQ(our_error, "") << label;
    std::set<std::string> theirs = apt_installs(apt.out);
    EXPECT_FALSE(theirs.empty()) << label << "\n" << apt.out;
    EXPECT_EQ(ours, theirs) << "request: " << label << "\n" << apt.out;
    auto want = kExpected.find(label);
    if (want != kExpected.end()) {
      EXPECT_EQ(ours, want->second) << label;
    }
    ++agreed_installs;
  }
  EXPECT_EQ(agreed_failures, 3);  // broken, broken-ver, deep
  EXPECT_EQ(agreed_installs, static_cast<int>(kRequests.size()) - 3);
}

}  // namespace
}  // namespace distill::debian
