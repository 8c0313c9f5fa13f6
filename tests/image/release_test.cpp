// Releases as data (images/releases/NAME.yaml): strict parsing, what
// `release:` gives a definition, and how bare image names pick the newest
// release that has the image.
#include "image/release.h"

#include <gtest/gtest.h>

#include "definition_fixture.h"
#include "error_of.h"
#include "image/definition.h"
#include "util/fs.h"

namespace distill {

namespace {

const char* kTrixie = R"(name: debian13
version: "13"
codename: trixie
suites: [trixie, trixie-updates, trixie-security]
components: [main]
os-release:
  VERSION_ID: "13"
  VERSION: Debian GNU/Linux 13 (trixie)
merged-usr: true
architectures: [amd64, arm64, armhf, s390x, ppc64el, riscv64]
)";

const char* kBookworm = R"(name: debian12
version: "12"
codename: bookworm
suites: [bookworm, bookworm-updates, bookworm-security]
components: [main]
os-release: {VERSION_ID: "12", VERSION: Debian GNU/Linux 12 (bookworm)}
merged-usr: false
architectures: [amd64, arm64, armhf, s390x, ppc64el]
)";

struct ReleaseTest : DefinitionFixture {
  // A family directory with both releases.
  std::string family() {
    write("images/releases/debian13.yaml", kTrixie);
    write("images/releases/debian12.yaml", kBookworm);
    return join_path(tmp.path(), "images");
  }
  std::string release_error(const std::string& yaml) {
    std::string p = write("r/debian13.yaml", yaml);
    return error_of([&] { load_release_file(p); });
  }
};

}  // namespace

TEST_F(ReleaseTest, EveryKey) {
  Release r = load_release_file(write("r/debian13.yaml", kTrixie));
  EXPECT_EQ(r.name, "debian13");
  EXPECT_EQ(r.version, "13");
  EXPECT_EQ(r.codename, "trixie");
  EXPECT_EQ(r.suites, (std::vector<std::string>{"trixie", "trixie-updates", "trixie-security"}));
  EXPECT_EQ(r.components, std::vector<std::string>{"main"});
  EXPECT_EQ(r.os_release, (std::vector<std::pair<std::string, std::string>>{
                              {"VERSION_ID", "13"}, {"VERSION", "Debian GNU/Linux 13 (trixie)"}}));
  EXPECT_TRUE(r.merged_usr);
  EXPECT_EQ(r.architectures.back(), "riscv64");
}

TEST_F(ReleaseTest, StrictParsing) {
  std::string t = kTrixie;
  std::string msg = release_error(t + "colour: blue\n");
  EXPECT_NE(msg.find("debian13.yaml:11: unknown key 'colour' in the release"), std::string::npos)
      << msg;
  msg = release_error(t.substr(0, t.find("merged-usr")));
  EXPECT_NE(msg.find("the release needs 'merged-usr'"), std::string::npos) << msg;
  std::string bad = t;
  bad.replace(bad.find("version: \"13\""), 13, "version: thirteen");
  msg = release_error(bad);
  EXPECT_NE(msg.find(":2: version 'thirteen' must be the release's number"), std::string::npos)
      << msg;
  bad = t;
  bad.replace(bad.find("trixie-updates"), 14, "sid-updates");
  msg = release_error(bad);
  EXPECT_NE(msg.find("suite 'sid-updates' is not trixie or trixie-SOMETHING"), std::string::npos)
      << msg;
  bad = t;
  bad.replace(bad.find("riscv64"), 7, "vax");
  msg = release_error(bad);
  EXPECT_NE(msg.find(":10: unknown Debian architecture 'vax'"), std::string::npos) << msg;
  bad = t;
  bad.replace(bad.find("merged-usr: true"), 16, "merged-usr: maybe");
  msg = release_error(bad);
  EXPECT_NE(msg.find(":9: merged-usr must be true or false"), std::string::npos) << msg;
  // The file's name is the release's name: `release: debian13` finds it by that.
  std::string p = write("r/other.yaml", kTrixie);
  msg = error_of([&] { load_release_file(p); });
  EXPECT_NE(msg.find("name 'debian13' must be the file's name, other"), std::string::npos) << msg;
}

TEST_F(ReleaseTest, ListedNewestFirst) {
  std::vector<Release> rs = list_releases({family()});
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].name, "debian13");
  EXPECT_EQ(rs[1].name, "debian12");
  std::string msg = error_of([&] { find_release("debian31", {family()}, "x.yaml:3"); });
  EXPECT_EQ(msg,
            "x.yaml:3: unknown release 'debian31'; did you mean 'debian13'? (known: debian12, "
            "debian13)");
}

TEST_F(ReleaseTest, DefinitionTakesTheRelease) {
  std::string dir = family();
  write("images/common/static.yaml", R"(packages: [base-files]
os-release:
  PRETTY_NAME: Distroless
  VERSION_ID: ~
  VERSION: ~
  HOME_URL: https://example.invalid/
)");
  write("images/static-debian13.yaml", "from: common/static.yaml\nrelease: debian13\n");
  Definition d = load_definition("static-debian13", {dir});
  ASSERT_TRUE(d.release_spec);
  EXPECT_EQ(d.release_spec->codename, "trixie");
  // The release's values land where the family put the keys.
  EXPECT_EQ(d.os_release, (std::vector<std::pair<std::string, std::string>>{
                              {"PRETTY_NAME", "Distroless"},
                              {"VERSION_ID", "13"},
                              {"VERSION", "Debian GNU/Linux 13 (trixie)"},
                              {"HOME_URL", "https://example.invalid/"}}));
  EXPECT_EQ(d.merged_usr, true);

  // A user's definition: release inherited through from:, own keys win,
  // and one that has no os-release of its own gets the release's appended.
  std::string user =
      write("app.yaml", "from: static-debian13\nos-release: {VERSION: \"13 (custom)\"}\n");
  Definition u = load_definition(user, {dir});
  EXPECT_EQ(u.release, "debian13");
  EXPECT_EQ(u.os_release[2], (std::pair<std::string, std::string>{"VERSION", "13 (custom)"}));
  std::string bare = write("bare.yaml", "release: debian12\npackages: [hello]\n");
  Definition b = load_definition(bare, {dir});
  EXPECT_EQ(b.os_release,
            (std::vector<std::pair<std::string, std::string>>{
                {"VERSION_ID", "12"}, {"VERSION", "Debian GNU/Linux 12 (bookworm)"}}));
  EXPECT_EQ(b.merged_usr, false);

  // merged_usr the chain set is kept.
  Definition m = load_definition(bare, {dir});
  m.merged_usr = true;
  apply_release(m, find_release("debian12", {dir}, "x"));
  EXPECT_EQ(m.merged_usr, true);

  std::string typo = write("typo.yaml", "release: debain13\npackages: [hello]\n");
  std::string msg = error_of([&] { load_definition(typo, {dir}); });
  EXPECT_EQ(msg, typo +
                     ":1: unknown release 'debain13'; did you mean 'debian13'? (known: "
                     "debian12, debian13)");
}

TEST_F(ReleaseTest, PublishedArchitectures) {
  std::string dir = family();
  std::string p = write("p.yaml", R"(release: debian12
packages: [hello]
published-architectures: [amd64, arm64]
)");
  Definition d = load_definition(p, {dir});
  EXPECT_EQ(build_architectures(d, {"all"}), (std::vector<std::string>{"amd64", "arm64"}));
  EXPECT_EQ(build_architectures(d, {"s390x"}), std::vector<std::string>{"s390x"});
  EXPECT_EQ(build_architectures(d, {}).size(), 1u);  // the host's
  d.published_architectures.clear();
  EXPECT_EQ(build_architectures(d, {"all"}).size(), 5u);  // the release's
  std::string msg = error_of([&] { build_architectures(d, {"all", "amd64"}); });
  EXPECT_EQ(msg, "--arch all cannot be combined with other architectures");
  d.release_spec.reset();
  msg = error_of([&] { build_architectures(d, {"all"}); });
  EXPECT_NE(msg.find("has no published-architectures: and no release:"), std::string::npos);

  std::string bad = write("bad.yaml", R"(release: debian12
packages: [hello]
published-architectures: [riscv64]
)");
  msg = error_of([&] { load_definition(bad, {dir}); });
  EXPECT_NE(msg.find("published-architectures lists riscv64, which release debian12"),
            std::string::npos)
      << msg;
}

TEST_F(ReleaseTest, BareNamesPickTheNewestRelease) {
  std::string dir = family();
  write("images/static-debian12.yaml", "release: debian12\npackages: [a]\n");
  write("images/static-debian13.yaml", "release: debian13\npackages: [a]\n");
  write("images/java17-debian12.yaml", "release: debian12\npackages: [a]\n");
  EXPECT_EQ(resolve_image_name("static", {dir}), join_path(dir, "static-debian13.yaml"));
  EXPECT_EQ(resolve_image_name("java17", {dir}), join_path(dir, "java17-debian12.yaml"));
  EXPECT_EQ(resolve_image_name("static-debian12", {dir}), join_path(dir, "static-debian12.yaml"));
  EXPECT_EQ(resolve_image_name("nodejs", {dir}), "");
  EXPECT_EQ(load_definition("static", {dir}).release, "debian13");
  // An exact NAME.yaml (a user's own, earlier in the search) wins.
  write("mine/static.yaml", "packages: [mine]\n");
  EXPECT_EQ(load_definition("static", {join_path(tmp.path(), "mine"), dir}).packages[0].name,
            "mine");
  // Suggestions cover both forms.
  std::string msg = error_of([&] { load_definition("jaav17", {dir}); });
  EXPECT_NE(msg.find("did you mean 'java17'?"), std::string::npos) << msg;
  msg = error_of([&] { load_definition("static-debian31", {dir}); });
  EXPECT_NE(msg.find("did you mean 'static-debian13'?"), std::string::npos) << msg;
}

TEST_F(ReleaseTest, SuitesKey) {
  std::string dir = family();
  std::string p = write("s.yaml", "release: debian13\npackages: [a]\nsuites: [trixie]\n");
  std::string c = write("c.yaml", "from: s.yaml\n");
  Definition d = load_definition(c, {dir});
  EXPECT_EQ(d.suites, std::vector<std::string>{"trixie"});
  EXPECT_EQ(d.suites_where, p + ":3");
  EXPECT_NE(load_error("suites: []\n").find("suites must be a non-empty list"), std::string::npos);
  EXPECT_NE(load_error("release: \"\"\n").find("release must name a file of images/releases/"),
            std::string::npos);
}

// The shipped releases load and agree with the spec's facts.
TEST(ShippedReleases, Load) {
  std::string dir = std::string(DISTILL_SOURCE_DIR) + "/images";
  Release r13 = find_release("debian13", {dir}, "test");
  EXPECT_EQ(r13.codename, "trixie");
  EXPECT_TRUE(r13.merged_usr);
  EXPECT_EQ(r13.architectures.size(), 6u);
  Release r12 = find_release("debian12", {dir}, "test");
  EXPECT_EQ(r12.suites,
            (std::vector<std::string>{"bookworm", "bookworm-updates", "bookworm-security"}));
  EXPECT_FALSE(r12.merged_usr);
  EXPECT_EQ(r12.architectures.size(), 5u);
  // Debian 13 has no OpenJDK 17: asking for java17-debian13 says so and
  // names what to use, where any other missing name is "unknown image".
  std::string msg = error_of([&] { load_definition("java17-debian13", {dir}); });
  EXPECT_EQ(msg,
            "java17-debian13: Debian 13 has no OpenJDK 17 (trixie ships 21 and 25): use "
            "java21-debian13, or java17 (= java17-debian12) for Java 17");
  EXPECT_NE(error_of([&] { load_definition("java18-debian13", {dir}); }).find("unknown image"),
            std::string::npos);
  EXPECT_EQ(load_definition("java21", {dir}).name, "java21-debian13");
}

}  // namespace distill
