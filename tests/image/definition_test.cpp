#include "image/definition.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "definition_fixture.h"
#include "error_of.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

struct DefinitionTest : DefinitionFixture {};

}  // namespace

TEST_F(DefinitionTest, EveryKey) {
  std::string p = write("full.yaml", R"(name: full
description: "every key"
files:
  - {dest: /etc/motd, content: "hi\n", mode: "0600", uid: 5, gid: 6}
  - {dest: /usr/bin/app, src: bin/app}
directories:
  - /var/empty
  - {path: /tmp, mode: "1777", uid: 0, gid: 0}
symlinks:
  - {path: /bin, target: usr/bin, uid: 1, gid: 2}
packages:
  - base-files
  - {name: tzdata, resolve: false}
resolve: no
exclude-packages: [perl-base]
exclude: ["/usr/share/doc/*", "/usr/share/man/*"]
repositories:
  - {uri: "http://127.0.0.1:1/debian", suites: [bookworm], components: [main, contrib], keyring: keys/k.gpg}
mirror: "http://127.0.0.1:2/debian"
architectures: [amd64, arm64]
users:
  - {name: nonroot, uid: 65532, home-mode: "0700"}
  - {name: svc, uid: 100, gid: 101, gecos: Service, home: /srv, shell: /bin/false}
groups:
  - {name: nonroot, gid: 65532, members: [nonroot, svc]}
os-release:
  ID: debian
  VERSION_ID: "12"
ca-bundle: /etc/ssl/certs/ca-certificates.crt
busybox: /busybox
config:
  env: [A=1, B=two=2]
  user: "65532:65532"
  workdir: /home/nonroot
  entrypoint: [/usr/bin/app]
  cmd: [--serve]
  labels: {org.example.team: infra}
  annotations: {org.opencontainers.image.title: full}
  exposed-ports: ["8080", 53/udp]
  volumes: [/data]
  stop-signal: SIGTERM
  created: "2024-01-02T03:04:05Z"
)");
  Definition d = load_definition_file(p);
  EXPECT_EQ(d.name, "full");
  EXPECT_EQ(d.description, "every key");
  EXPECT_EQ(d.dir, tmp.path());
  ASSERT_EQ(d.files.size(), 2u);
  EXPECT_EQ(d.files[0].dest, "/etc/motd");
  EXPECT_EQ(d.files[0].content, "hi\n");
  EXPECT_EQ(d.files[0].mode, 0600u);
  EXPECT_EQ(d.files[0].uid, 5u);
  EXPECT_EQ(d.files[0].gid, 6u);
  EXPECT_EQ(d.files[0].where, p + ":4");
  EXPECT_EQ(d.files[1].src, join_path(tmp.path(), "bin/app"));  // resolved against the file
  EXPECT_FALSE(d.files[1].mode.has_value());
  ASSERT_EQ(d.directories.size(), 2u);
  EXPECT_EQ(d.directories[0].path, "/var/empty");
  EXPECT_EQ(d.directories[0].mode, 0755u);
  EXPECT_EQ(d.directories[1].mode, 01777u);
  ASSERT_EQ(d.symlinks.size(), 1u);
  EXPECT_EQ(d.symlinks[0].target, "usr/bin");
  EXPECT_EQ(d.symlinks[0].uid, 1u);
  EXPECT_EQ(d.symlinks[0].gid, 2u);
  ASSERT_EQ(d.packages.size(), 2u);
  EXPECT_EQ(d.packages[0].name, "base-files");
  EXPECT_FALSE(d.packages[0].resolve.has_value());
  EXPECT_EQ(d.packages[1].resolve, false);
  EXPECT_FALSE(d.resolve);
  EXPECT_EQ(d.exclude_packages, (std::vector<std::string>{"perl-base"}));
  EXPECT_EQ(d.exclude_paths.size(), 2u);
  ASSERT_EQ(d.repositories.size(), 1u);
  EXPECT_EQ(d.repositories[0].components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_EQ(d.repositories[0].keyring, join_path(tmp.path(), "keys/k.gpg"));
  EXPECT_EQ(d.mirror, "http://127.0.0.1:2/debian");
  EXPECT_EQ(d.architectures, (std::vector<std::string>{"amd64", "arm64"}));
  ASSERT_EQ(d.users.size(), 2u);
  EXPECT_EQ(d.users[0].gid, 65532u);  // defaults to uid
  EXPECT_EQ(d.users[0].home, "/home/nonroot");
  EXPECT_EQ(d.users[0].gecos, "nonroot");
  EXPECT_EQ(d.users[0].shell, "/sbin/nologin");
  EXPECT_EQ(d.users[0].home_mode, 0700u);
  EXPECT_EQ(d.users[1].gid, 101u);
  EXPECT_EQ(d.users[1].home, "/srv");
  EXPECT_EQ(d.users[1].shell, "/bin/false");
  ASSERT_EQ(d.groups.size(), 1u);
  EXPECT_EQ(d.groups[0].members, (std::vector<std::string>{"nonroot", "svc"}));
  ASSERT_EQ(d.os_release.size(), 2u);
  EXPECT_EQ(d.os_release[0], (std::pair<std::string, std::string>{"ID", "debian"}));
  EXPECT_EQ(d.os_release[1].second, "12");
  EXPECT_EQ(d.ca_bundle, "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(d.busybox, "/busybox");
  const auto& c = d.config;
  EXPECT_EQ(c.env, (std::vector<std::string>{"A=1", "B=two=2"}));
  EXPECT_EQ(c.user, "65532:65532");
  EXPECT_EQ(c.workdir, "/home/nonroot");
  EXPECT_EQ(c.entrypoint, (std::vector<std::string>{"/usr/bin/app"}));
  EXPECT_EQ(c.cmd, (std::vector<std::string>{"--serve"}));
  EXPECT_EQ(c.labels.at("org.example.team"), "infra");
  EXPECT_EQ(c.annotations.at("org.opencontainers.image.title"), "full");
  EXPECT_EQ(c.exposed_ports, (std::vector<std::string>{"8080/tcp", "53/udp"}));
  EXPECT_EQ(c.volumes, (std::vector<std::string>{"/data"}));
  EXPECT_EQ(c.stop_signal, "SIGTERM");
  EXPECT_EQ(c.created, "2024-01-02T03:04:05Z");
}

TEST_F(DefinitionTest, EnvAsMapping) {
  std::string p = write("env.yaml", "config:\n  env:\n    FOO: bar\n    X: \"1\"\n");
  Definition d = load_definition_file(p);
  EXPECT_EQ(d.config.env, (std::vector<std::string>{"FOO=bar", "X=1"}));
}

TEST_F(DefinitionTest, UnknownKeyNamesFileAndLine) {
  std::string p =
      write("typo.yaml", "name: x\nfiles:\n  - dest: /a\n    content: x\n    mdoe: 0644\n");
  std::string msg = error_of([&] { load_definition_file(p); });
  EXPECT_EQ(msg.rfind(p + ":5: ", 0), 0u) << msg;
  EXPECT_NE(msg.find("mdoe"), std::string::npos) << msg;
  EXPECT_NE(msg.find("mode"), std::string::npos) << "lists the allowed keys: " << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

TEST_F(DefinitionTest, UnknownKeysEverywhere) {
  EXPECT_NE(load_error("name: x\nfile: []\n").find(":2: unknown key 'file'"), std::string::npos);
  EXPECT_NE(load_error("config:\n  user: x\n  entry-point: [a]\n").find(":3: unknown key"),
            std::string::npos);
  EXPECT_NE(load_error("directories:\n  - {path: /a, owner: 1}\n").find(":2: unknown key 'owner'"),
            std::string::npos);
  EXPECT_NE(load_error("symlinks:\n  - {path: /a, target: b, mode: \"0777\"}\n").find(":2:"),
            std::string::npos);
  EXPECT_NE(load_error("users:\n  - {name: a, uid: 1, password: x}\n").find("password"),
            std::string::npos);
  EXPECT_NE(load_error("groups:\n  - {name: a, gid: 1, users: [a]}\n").find("users"),
            std::string::npos);
  EXPECT_NE(load_error("packages:\n  - {name: a, version: 1}\n").find("version"),
            std::string::npos);
  EXPECT_NE(load_error("repositories:\n  - {uri: x, suites: [a], arch: b}\n").find("arch"),
            std::string::npos);
}

TEST_F(DefinitionTest, BadModes) {
  for (const char* mode : {"0889", "rwxr-xr-x", "\"\"", "0100000", "-1", "0x1ff", "17777"}) {
    std::string msg =
        load_error(std::string("files:\n  - dest: /a\n    content: x\n    mode: ") + mode + "\n");
    EXPECT_NE(msg.find(":4: mode"), std::string::npos) << mode << ": " << msg;
  }
  EXPECT_NE(load_error("directories:\n  - {path: /a, mode: \"999\"}\n").find(":2: mode"),
            std::string::npos);
  EXPECT_NE(load_error("users:\n  - {name: a, uid: 1, home-mode: \"abc\"}\n").find("mode"),
            std::string::npos);
}

TEST(ParseMode, Forms) {
  EXPECT_EQ(parse_mode("0755", "w"), 0755u);
  EXPECT_EQ(parse_mode("755", "w"), 0755u);
  EXPECT_EQ(parse_mode("4755", "w"), 04755u);
  EXPECT_EQ(parse_mode("1777", "w"), 01777u);
  EXPECT_EQ(parse_mode("07777", "w"), 07777u);
  EXPECT_EQ(parse_mode("0", "w"), 0u);
  EXPECT_THROW(parse_mode("8", "w"), Error);
  EXPECT_THROW(parse_mode("", "w"), Error);
  try {
    parse_mode("u+x", "f.yaml:3");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("f.yaml:3: ", 0), 0u) << e.what();
  }
}

TEST_F(DefinitionTest, PathsEscapingTheRoot) {
  EXPECT_NE(load_error("files:\n  - {dest: ../x, content: a}\n").find(":2:"), std::string::npos);
  EXPECT_NE(load_error("files:\n  - {dest: /../x, content: a}\n").find("'..'"), std::string::npos);
  EXPECT_NE(load_error("files:\n  - {dest: /a/../../x, content: a}\n").find("escape"),
            std::string::npos);
  EXPECT_NE(load_error("directories: [/a/..]\n").find(":1:"), std::string::npos);
  EXPECT_NE(load_error("symlinks:\n  - {path: /x/../../y, target: a}\n").find(":2:"),
            std::string::npos);
  EXPECT_NE(load_error("config:\n  workdir: /../tmp\n").find(":2:"), std::string::npos);
  EXPECT_NE(load_error("users:\n  - {name: a, uid: 1, home: /home/../..}\n").find(":2:"),
            std::string::npos);
  // Relative dests are refused too: the image has no working directory.
  EXPECT_NE(load_error("files:\n  - {dest: etc/x, content: a}\n").find("absolute"),
            std::string::npos);
  // Names that merely contain dots are fine.
  EXPECT_EQ(load_error("files:\n  - {dest: /a/..b/c.., content: a}\n"), "");
}

TEST_F(DefinitionTest, BadValues) {
  EXPECT_NE(load_error("files:\n  - {dest: /a}\n").find("exactly one of"), std::string::npos);
  EXPECT_NE(load_error("files:\n  - {dest: /a, src: x, content: y}\n").find("exactly one of"),
            std::string::npos);
  EXPECT_NE(load_error("files:\n  - {content: y}\n").find("dest"), std::string::npos);
  EXPECT_NE(load_error("files:\n  - {dest: /a, content: y, uid: -1}\n").find("uid"),
            std::string::npos);
  EXPECT_NE(load_error("files:\n  - {dest: /a, content: y, gid: 4294967296}\n").find("gid"),
            std::string::npos);
  EXPECT_NE(load_error("files: /a\n").find("must be a list"), std::string::npos);
  EXPECT_NE(load_error("resolve: maybe\n").find("true or false"), std::string::npos);
  EXPECT_NE(load_error("config:\n  env: [NOEQUALS]\n").find("KEY=VALUE"), std::string::npos);
  EXPECT_NE(load_error("config:\n  exposed-ports: [\"99999\"]\n").find("PORT"), std::string::npos);
  EXPECT_NE(load_error("config:\n  exposed-ports: [80/icmp]\n").find("PORT"), std::string::npos);
  // Too many digits for an unsigned long once escaped as std::out_of_range.
  EXPECT_NE(
      load_error("config:\n  exposed-ports: [\"123456789012345678901234567890\"]\n").find("PORT"),
      std::string::npos);
  EXPECT_NE(load_error("os-release:\n  lower: x\n").find("upper-case"), std::string::npos);
  EXPECT_NE(load_error("users:\n  - {name: \"a:b\", uid: 1}\n").find("':'"), std::string::npos);
  EXPECT_NE(load_error("users:\n  - {name: a}\n").find("uid"), std::string::npos);
  EXPECT_NE(load_error("symlinks:\n  - {path: /a, target: \"\"}\n").find("empty"),
            std::string::npos);
  EXPECT_NE(load_error("- a\n- b\n").find("mapping"), std::string::npos);
  EXPECT_NE(load_error("").find("empty"), std::string::npos);
}

TEST_F(DefinitionTest, CreatedIsAnRfc3339Time) {
  EXPECT_EQ(load_error("config:\n  created: \"2024-01-02T03:04:05Z\"\n"), "");
  EXPECT_EQ(load_error("config:\n  created: \"2024-01-02T03:04:05.5+01:00\"\n"), "");
  for (const char* bad :
       {"yesterday", "2024-01-02", "2024-01-02 03:04:05Z", "2024-01-02T03:04:05"}) {
    std::string msg = load_error(std::string("config:\n  created: \"") + bad + "\"\n");
    EXPECT_NE(msg.find(":2:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("not an RFC 3339 time such as 1970-01-01T00:00:00Z"), std::string::npos)
        << msg;
  }
}

TEST_F(DefinitionTest, YamlSyntaxErrorHasLine) {
  std::string msg = load_error("name: x\nfiles:\n  - {dest: /a, content: [\n");
  EXPECT_NE(msg.find("YAML syntax error"), std::string::npos) << msg;
  EXPECT_NE(msg.find(".yaml:"), std::string::npos) << msg;
}

TEST_F(DefinitionTest, MissingFile) {
  std::string msg = error_of([&] { load_definition_file(join_path(tmp.path(), "nope.yaml")); });
  EXPECT_NE(msg.find("nope.yaml"), std::string::npos) << msg;
  msg = error_of([&] { load_definition(join_path(tmp.path(), "nope.yaml"), {}); });
  EXPECT_NE(msg.find("not found"), std::string::npos) << msg;
  msg = error_of([&] { load_definition("no-such-family", {tmp.path()}); });
  EXPECT_NE(msg.find("no-such-family"), std::string::npos) << msg;
}

TEST_F(DefinitionTest, InheritanceWithFrom) {
  write("family/base.yaml", R"(name: base
files:
  - {dest: /etc/a, content: parent-a}
  - {dest: /etc/b, content: parent-b}
directories: [/tmp]
users:
  - {name: root, uid: 0}
  - {name: nonroot, uid: 65532}
os-release: {ID: debian, NAME: Base}
config:
  env: [PATH=/bin, A=1]
  user: "0"
  workdir: /
  labels: {l1: a, l2: b}
  cmd: [sh]
)");
  std::string child = write("app/child.yaml", R"(name: child
from: base
files:
  - {dest: /etc/b, content: child-b}
  - {dest: /etc/c, content: child-c}
users:
  - {name: nonroot, uid: 65532, home: /srv}
os-release: {NAME: Child, VERSION_ID: "1"}
config:
  env: [A=2, B=3]
  user: "65532"
  labels: {l2: c}
)");
  Definition d = load_definition(child, {join_path(tmp.path(), "family")});
  EXPECT_EQ(d.name, "child");
  EXPECT_EQ(d.path, child);
  EXPECT_EQ(d.dir, join_path(tmp.path(), "app"));
  ASSERT_EQ(d.files.size(), 3u);
  EXPECT_EQ(d.files[0].content, "parent-a");
  EXPECT_EQ(d.files[1].content, "child-b");  // replaced in place
  EXPECT_EQ(d.files[2].dest, "/etc/c");
  EXPECT_EQ(d.directories.size(), 1u);
  ASSERT_EQ(d.users.size(), 2u);
  EXPECT_EQ(d.users[1].home, "/srv");
  EXPECT_EQ(d.os_release, (std::vector<std::pair<std::string, std::string>>{
                              {"ID", "debian"}, {"NAME", "Child"}, {"VERSION_ID", "1"}}));
  EXPECT_EQ(d.config.env, (std::vector<std::string>{"PATH=/bin", "A=2", "B=3"}));
  EXPECT_EQ(d.config.user, "65532");
  EXPECT_EQ(d.config.workdir, "/");
  EXPECT_EQ(d.config.cmd, (std::vector<std::string>{"sh"}));
  EXPECT_EQ(d.config.labels, (std::map<std::string, std::string>{{"l1", "a"}, {"l2", "c"}}));
}

// security-mirror: and snapshot: are inherited like mirror:, and a child's
// value wins over its parent's.
TEST_F(DefinitionTest, SourceKeysInherit) {
  write("base.yaml",
        "mirror: \"http://127.0.0.1:2/debian\"\n"
        "security-mirror: \"http://127.0.0.1:3/debian-security\"\n"
        "snapshot: 20260101T000000Z\n");
  std::string kept = write("kept.yaml", "from: base.yaml\n");
  std::string over = write("over.yaml",
                           "from: base.yaml\nsecurity-mirror: \"http://127.0.0.1:4/s\"\n"
                           "snapshot: 20260818T205150Z\n");
  Definition k = load_definition(kept, {});
  EXPECT_EQ(k.mirror, "http://127.0.0.1:2/debian");
  EXPECT_EQ(k.security_mirror, "http://127.0.0.1:3/debian-security");
  EXPECT_EQ(k.snapshot, "20260101T000000Z");
  Definition o = load_definition(over, {});
  EXPECT_EQ(o.mirror, "http://127.0.0.1:2/debian");
  EXPECT_EQ(o.security_mirror, "http://127.0.0.1:4/s");
  EXPECT_EQ(o.snapshot, "20260818T205150Z");
  std::string bad = write("bad.yaml", "snapshot: [20260101T000000Z]\n");
  EXPECT_THROW(load_definition_file(bad), Error);
}

TEST_F(DefinitionTest, FromRelativePathAndChains) {
  write("a.yaml", "name: a\nfiles:\n  - {dest: /a, content: a}\n");
  write("sub/b.yaml", "name: b\nfrom: ../a.yaml\nfiles:\n  - {dest: /b, content: b}\n");
  std::string c =
      write("sub/c.yaml", "name: c\nfrom: b.yaml\nfiles:\n  - {dest: /c, content: c}\n");
  Definition d = load_definition(c, {});
  ASSERT_EQ(d.files.size(), 3u);
  EXPECT_EQ(d.files[0].dest, "/a");
  EXPECT_EQ(d.files[2].dest, "/c");
}

TEST_F(DefinitionTest, FromLoopIsAnError) {
  write("x.yaml", "from: y.yaml\n");
  std::string y = write("y.yaml", "from: x.yaml\n");
  std::string msg = error_of([&] { load_definition(y, {}); });
  EXPECT_NE(msg.find("loops"), std::string::npos) << msg;
}

TEST_F(DefinitionTest, ErrorInParentNamesTheParent) {
  std::string base = write("base.yaml", "name: base\nbogus: 1\n");
  std::string child = write("child.yaml", "from: base.yaml\n");
  std::string msg = error_of([&] { load_definition(child, {}); });
  EXPECT_EQ(msg.rfind(base + ":2:", 0), 0u) << msg;
}

TEST_F(DefinitionTest, ChildResolveDoesNotRewriteParentPackages) {
  write("p.yaml", "resolve: false\npackages: [a]\n");
  std::string c = write("c.yaml", "from: p.yaml\nresolve: true\npackages: [b]\n");
  Definition d = load_definition(c, {});
  ASSERT_EQ(d.packages.size(), 2u);
  EXPECT_EQ(d.packages[0].resolve, false);
  EXPECT_EQ(d.packages[1].resolve, true);
}

// The shipped family definitions must all load (they are the main job's
// input), each with its release, and the bare names too.
TEST(FamilyDefinitions, AllLoad) {
  std::string dir = std::string(DISTILL_SOURCE_DIR) + "/images";
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".yaml") continue;
    std::string name = e.path().stem().string();
    Definition d;
    EXPECT_NO_THROW(d = load_definition(name, {dir})) << name;
    EXPECT_TRUE(d.release_spec) << name;
    EXPECT_TRUE(name.ends_with("-" + d.release)) << name << " is not named for " << d.release;
    EXPECT_EQ(d.name, name);
    EXPECT_FALSE(d.published_architectures.empty()) << name;
    ++n;
  }
  EXPECT_GE(n, 6u);
  for (const char* name : {"static", "base", "base-nossl", "cc", "python3", "java17"}) {
    EXPECT_NO_THROW(load_definition(name, {dir})) << name;
  }
}

}  // namespace distill
