// Source selection: which archive URI each suite of the host's (or the
// definition's) repositories is read from under --mirror, --security-mirror
// and --snapshot.
#include <gtest/gtest.h>

#include "debian/archive.h"
#include "error_of.h"

namespace distill::debian {
namespace {

Repository repo(const std::string& uri, std::vector<std::string> suites,
                const std::string& where = "from /etc/apt/sources.list.d/debian.sources:1") {
  Repository r;
  r.uri = uri;
  r.suites = std::move(suites);
  r.components = {"main"};
  r.keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
  r.set_by = where;
  return r;
}

// A typical host: one deb822 stanza for the main archive, one for security.
std::vector<Repository> host() {
  return {repo("http://127.0.0.1:1/debian", {"bookworm", "bookworm-updates"}),
          repo("http://127.0.0.1:1/debian-security/", {"bookworm-security"},
               "from /etc/apt/sources.list.d/debian.sources:7")};
}

TEST(Sources, SecuritySuitesAreRecognised) {
  EXPECT_TRUE(is_security_suite("bookworm-security"));
  EXPECT_TRUE(is_security_suite("buster/updates"));
  EXPECT_FALSE(is_security_suite("bookworm"));
  EXPECT_FALSE(is_security_suite("bookworm-updates"));
  EXPECT_FALSE(is_security_suite("security"));
}

TEST(Sources, NoOverrideKeepsTheHostSources) {
  auto out = select_sources(host(), {});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].uri, "http://127.0.0.1:1/debian");
  EXPECT_EQ(out[0].suites, (std::vector<std::string>{"bookworm", "bookworm-updates"}));
  EXPECT_EQ(out[1].uri, "http://127.0.0.1:1/debian-security");
  EXPECT_EQ(out[1].set_by, "from /etc/apt/sources.list.d/debian.sources:7");
}

TEST(Sources, MirrorReplacesOnlyTheMainArchive) {
  ArchiveOptions o;
  o.mirror = "http://127.0.0.1:2/m/";
  auto out = select_sources(host(), o);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].uri, "http://127.0.0.1:2/m");
  EXPECT_EQ(out[0].suites, (std::vector<std::string>{"bookworm", "bookworm-updates"}));
  EXPECT_EQ(out[0].set_by, "set by --mirror");
  EXPECT_EQ(out[1].uri, "http://127.0.0.1:1/debian-security");
  EXPECT_EQ(out[1].suites, std::vector<std::string>{"bookworm-security"});
}

TEST(Sources, SecurityMirrorReplacesOnlyTheSecurityArchive) {
  ArchiveOptions o;
  o.security_mirror = "http://127.0.0.1:3/s";
  o.security_mirror_set_by = "security-mirror: in x.yaml";
  auto out = select_sources(host(), o);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].uri, "http://127.0.0.1:1/debian");
  EXPECT_EQ(out[1].uri, "http://127.0.0.1:3/s");
  EXPECT_EQ(out[1].set_by, "set by security-mirror: in x.yaml");
}

TEST(Sources, OneLineWithBothKindsOfSuiteIsSplit) {
  ArchiveOptions o;
  o.mirror = "http://127.0.0.1:2/m";
  o.security_mirror = "http://127.0.0.1:3/s";
  auto out = select_sources({repo("http://127.0.0.1:1/x", {"bookworm-security", "bookworm"})}, o);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].uri, "http://127.0.0.1:2/m");
  EXPECT_EQ(out[0].suites, std::vector<std::string>{"bookworm"});
  EXPECT_EQ(out[1].uri, "http://127.0.0.1:3/s");
  EXPECT_EQ(out[1].suites, std::vector<std::string>{"bookworm-security"});
}

TEST(Sources, LinesThatLandOnOneMirrorAreMerged) {
  ArchiveOptions o;
  o.mirror = "http://127.0.0.1:2/m";
  auto out = select_sources({repo("http://127.0.0.1:1/a", {"bookworm"}),
                             repo("http://127.0.0.1:1/b", {"bookworm-updates", "bookworm"})},
                            o);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].suites, (std::vector<std::string>{"bookworm", "bookworm-updates"}));
}

TEST(Sources, SnapshotUsesTheServiceLayout) {
  ArchiveOptions o;
  o.snapshot = "20260818T205150Z";
  o.snapshot_uri = "http://127.0.0.1:4/snap/";
  auto out = select_sources(host(), o);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].uri, "http://127.0.0.1:4/snap/archive/debian/20260818T205150Z");
  EXPECT_EQ(out[1].uri, "http://127.0.0.1:4/snap/archive/debian-security/20260818T205150Z");
  EXPECT_NE(out[1].set_by.find("--snapshot 20260818T205150Z"), std::string::npos);
}

TEST(Sources, SnapshotErrorsSayWhatToGive) {
  ArchiveOptions o;
  o.snapshot = "20260818T205150Z";
  std::string err = ::distill::error_of([&] { select_sources(host(), o); });
  EXPECT_NE(err.find("--snapshot-uri"), std::string::npos) << err;
  EXPECT_NE(err.find("DISTILL_SNAPSHOT_URI"), std::string::npos) << err;

  o.snapshot_uri = "http://127.0.0.1:4";
  o.mirror = "http://127.0.0.1:2/m";
  err = ::distill::error_of([&] { select_sources(host(), o); });
  EXPECT_NE(err.find("--snapshot and --mirror"), std::string::npos) << err;

  o.mirror.clear();
  for (const char* bad :
       {"2026-08-18", "20260818T205150", "20261318T205150Z", "2026081xT205150Z"}) {
    o.snapshot = bad;
    err = ::distill::error_of([&] { select_sources(host(), o); });
    EXPECT_NE(err.find("is not of the form YYYYMMDDTHHMMSSZ"), std::string::npos) << bad << err;
  }
}

TEST(Sources, SnapshotTimestampIsUtc) {
  EXPECT_EQ(parse_snapshot_timestamp("19700101T000000Z", "--snapshot"), 0);
  EXPECT_EQ(parse_snapshot_timestamp("20260818T205150Z", "--snapshot"), 1787086310);
}

ReleaseSuites trixie() {
  return {"debian13", "trixie", {"trixie", "trixie-updates", "trixie-security"}, {"main"}};
}

TEST(Sources, ReleaseRenamesTheHostsDebianSuites) {
  std::vector<Repository> h = host();
  h[0].components = {"main", "contrib", "non-free-firmware"};
  auto out = retarget_sources(h, trixie());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].uri, "http://127.0.0.1:1/debian");
  EXPECT_EQ(out[0].suites, (std::vector<std::string>{"trixie", "trixie-updates"}));
  EXPECT_EQ(out[0].components, std::vector<std::string>{"main"});
  EXPECT_EQ(out[0].keyring, "/usr/share/keyrings/debian-archive-keyring.gpg");
  EXPECT_EQ(out[0].set_by,
            "from /etc/apt/sources.list.d/debian.sources:1, renamed for release debian13");
  EXPECT_EQ(out[1].uri, "http://127.0.0.1:1/debian-security/");
  EXPECT_EQ(out[1].suites, std::vector<std::string>{"trixie-security"});
  // The same release as the host's is the host's lines.
  auto same = retarget_sources(
      host(),
      {"debian12", "bookworm", {"bookworm", "bookworm-updates", "bookworm-security"}, {"main"}});
  EXPECT_EQ(same[0].suites, (std::vector<std::string>{"bookworm", "bookworm-updates"}));
  EXPECT_EQ(same[1].suites, std::vector<std::string>{"bookworm-security"});
  // No release: as configured.
  EXPECT_EQ(retarget_sources(host(), {})[0].suites, host()[0].suites);
}

TEST(Sources, ReleaseKeepsOnlyItsSuitesAndDebianLines) {
  std::vector<Repository> h = {
      repo("http://127.0.0.1:1/debian", {"stable", "bookworm-backports", "bookworm-updates"}),
      repo("http://127.0.0.1:1/old-security", {"buster/updates"}),
      repo("http://127.0.0.1:3/vendor", {"nodistro"}),
      repo("http://127.0.0.1:3/sdk", {"cloud-sdk-bookworm"}),
      repo("http://127.0.0.1:3/docker", {"bookworm"})};
  h[4].components = {"stable"};
  auto out = retarget_sources(h, trixie());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].suites, (std::vector<std::string>{"trixie", "trixie-updates"}));
  EXPECT_EQ(out[1].suites, std::vector<std::string>{"trixie-security"});
  // The release's suites then go through --mirror / --security-mirror as the host's would.
  ArchiveOptions o;
  o.mirror = "http://127.0.0.1:2/m";
  auto moved = select_sources(out, o);
  EXPECT_EQ(moved[0].uri, "http://127.0.0.1:2/m");
  EXPECT_EQ(moved[0].suites, (std::vector<std::string>{"trixie", "trixie-updates"}));
  EXPECT_EQ(moved[1].uri, "http://127.0.0.1:1/old-security");

  std::string err = ::distill::error_of(
      [&] { retarget_sources({repo("http://127.0.0.1:3/vendor", {"nodistro"})}, trixie()); });
  EXPECT_EQ(err,
            "release debian13: no Debian line in the host's apt sources (suites nodistro) to take "
            "its suites from; give repositories: in the definition");
}

TEST(Sources, LimitSuites) {
  auto out = limit_suites(retarget_sources(host(), trixie()), {"trixie"}, "--suites");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].suites, std::vector<std::string>{"trixie"});
  EXPECT_EQ(limit_suites(host(), {}, "--suites").size(), 2u);
  out = limit_suites(host(), {"bookworm-security", "bookworm"}, "--suites");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].suites, std::vector<std::string>{"bookworm"});
  std::string err = ::distill::error_of([&] {
    limit_suites(host(), {"bookworm", "trixie"}, "suites: at def.yaml:4");
  });
  EXPECT_EQ(err,
            "suites: at def.yaml:4: no repository has suite 'trixie' (the repositories have: "
            "bookworm, bookworm-updates, bookworm-security)");
}

}  // namespace
}  // namespace distill::debian
