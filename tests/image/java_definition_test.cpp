// The definition keys the java images need, usable in any definition:
// extract:, ca-bundle's java-keystore, per-package symlinks, debug:
// packages, and config.version-env (resolved by image/config).
#include <gtest/gtest.h>

#include <functional>

#include "definition_fixture.h"
#include "error_of.h"
#include "image/config.h"
#include "image/definition.h"
#include "image/variant.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

// Errors are asserted with their file name, so every case loads bad.yaml.
struct JavaKeysTest : DefinitionFixture {
  std::string load_error(const std::string& yaml) {
    return DefinitionFixture::load_error(yaml, "bad.yaml");
  }
};

}  // namespace

TEST_F(JavaKeysTest, EveryNewKey) {
  std::string p = write("java.yaml", R"(packages:
  - name: openjdk-17-jre-headless
    symlinks:
      - {path: /usr/bin/java, target: "/usr/lib/jvm/java-17-openjdk-${ARCH}/bin/java"}
extract:
  - package: libc-bin
    paths: [/usr/lib/locale/C.utf8, /usr/share/doc/libc-bin/copyright]
  - {package: tzdata, paths: ["/usr/share/zoneinfo/UTC"], status: false}
ca-bundle:
  path: /etc/ssl/certs/ca-certificates.crt
  java-keystore: /etc/ssl/certs/java/cacerts
  java-keystore-password: secret
debug:
  packages: [openjdk-17-jdk-headless]
config:
  version-env:
    - {name: JAVA_VERSION, package: openjdk-17-jre-headless, cut-at: "+"}
    - {name: TZ_VERSION, package: tzdata}
)");
  Definition d = load_definition_file(p);
  ASSERT_EQ(d.packages.size(), 1u);
  ASSERT_EQ(d.packages[0].symlinks.size(), 1u);
  EXPECT_EQ(d.packages[0].symlinks[0].path, "/usr/bin/java");
  EXPECT_EQ(d.packages[0].symlinks[0].where, p + ":4");
  ASSERT_EQ(d.extracts.size(), 2u);
  EXPECT_EQ(d.extracts[0].package, "libc-bin");
  EXPECT_EQ(d.extracts[0].paths[1], "/usr/share/doc/libc-bin/copyright");
  EXPECT_TRUE(d.extracts[0].status);
  EXPECT_FALSE(d.extracts[1].status);
  EXPECT_EQ(d.ca_bundle, "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(d.java_keystore, "/etc/ssl/certs/java/cacerts");
  EXPECT_EQ(d.java_keystore_password, "secret");
  ASSERT_EQ(d.variants.at("debug").packages.size(), 1u);
  EXPECT_EQ(d.variants.at("debug").packages[0].name, "openjdk-17-jdk-headless");
  ASSERT_EQ(d.config.version_env.size(), 2u);
  EXPECT_EQ(d.config.version_env[0].cut_at, "+");
  EXPECT_EQ(d.config.version_env[1].cut_at, "");
  EXPECT_EQ(d.config.version_env[1].where, p + ":18");
}

TEST_F(JavaKeysTest, BadValuesNameFileAndLine) {
  std::string p = join_path(tmp.path(), "bad.yaml");
  EXPECT_EQ(load_error("extract:\n  - {package: libc-bin}\n"),
            p + ":2: extract entry needs 'package' and 'paths'");
  EXPECT_EQ(load_error("extract:\n  - {package: libc-bin, paths: []}\n"),
            p + ":2: extract paths must be a non-empty list of absolute paths or globs");
  EXPECT_EQ(load_error("extract:\n  - {package: libc-bin, paths: [usr/lib]}\n"),
            p + ":2: extract path 'usr/lib' must be an absolute path in the image");
  EXPECT_EQ(load_error("extract:\n  - {package: x, paths: [/a], keep: yes}\n"),
            p + ":2: unknown key 'keep' in an extract entry (allowed: package, paths, status)");
  EXPECT_EQ(load_error("ca-bundle:\n  java-keystore: cacerts\n"),
            p + ":2: java-keystore 'cacerts' must be an absolute path in the image");
  EXPECT_EQ(load_error("ca-bundle:\n  jks: /x\n"),
            p + ":2: unknown key 'jks' in ca-bundle (allowed: path, java-keystore, "
                "java-keystore-password, package)");
  EXPECT_EQ(load_error("debug:\n  busybox: /bb\n"),
            p + ":2: unknown key 'busybox' in debug (allowed: packages)");
  EXPECT_EQ(load_error("packages:\n  - {name: x, symlinks: [{path: /a}]}\n"),
            p + ":2: symlinks entry needs 'path' and 'target'");
  EXPECT_EQ(load_error("config:\n  version-env:\n    - {name: V}\n"),
            p + ":3: config.version-env entry needs exactly one of 'package' or 'upstream'");
  EXPECT_EQ(load_error("config:\n  version-env:\n    - {name: A=B, package: x}\n"),
            p + ":3: config.version-env name 'A=B' must be a variable name");
}

TEST_F(JavaKeysTest, InheritanceKeepsParentBundleAndMergesByName) {
  write("family/base.yaml", R"(ca-bundle: /etc/ssl/certs/ca-certificates.crt
extract:
  - {package: libc-bin, paths: [/usr/lib/locale/C.utf8]}
config:
  version-env:
    - {name: V, package: a}
)");
  std::string child = write("child.yaml", R"(from: base
ca-bundle: {java-keystore: /etc/ssl/certs/java/cacerts}
extract:
  - {package: libc-bin, paths: [/usr/lib/locale/C.utf8, /usr/share/doc/libc-bin/copyright]}
debug: {packages: [jdk]}
config:
  version-env:
    - {name: V, package: b, cut-at: "~"}
)");
  Definition d = load_definition(child, {join_path(tmp.path(), "family")});
  EXPECT_EQ(d.ca_bundle, "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(d.java_keystore, "/etc/ssl/certs/java/cacerts");
  ASSERT_EQ(d.extracts.size(), 1u);
  EXPECT_EQ(d.extracts[0].paths.size(), 2u);
  ASSERT_EQ(d.config.version_env.size(), 1u);
  EXPECT_EQ(d.config.version_env[0].package, "b");
  ASSERT_EQ(d.variants.at("debug").packages.size(), 1u);
  EXPECT_EQ(d.variants.at("debug").packages[0].resolve, true);  // settled to the file's default
}

TEST_F(JavaKeysTest, DebugVariantAddsDebugPackagesAndKeepsALanguageEntrypoint) {
  std::string images = std::string(DISTILL_SOURCE_DIR) + "/images";
  std::string java_def = write("java.yaml", R"(packages: [jre]
debug: {packages: [jdk]}
config: {entrypoint: [/usr/bin/java, -jar]}
)");
  Definition java = load_definition(java_def, {images});
  Definition plain = java;
  apply_variant(plain, "nonroot");
  EXPECT_EQ(plain.packages.size(), 1u);
  apply_variant(java, "debug");
  ASSERT_EQ(java.packages.size(), 2u);
  EXPECT_EQ(java.packages[1].name, "jdk");
  EXPECT_EQ(java.config.entrypoint, (std::vector<std::string>{"/usr/bin/java", "-jar"}));
  EXPECT_EQ(java.busybox, "/busybox");
  Definition base = load_definition(write("base.yaml", "packages: [a]\n"), {images});
  apply_variant(base, "debug-nonroot");
  EXPECT_EQ(base.config.entrypoint, (std::vector<std::string>{"/busybox/sh"}));
}

TEST(VersionEnv, CutsTheVersion) {
  EXPECT_EQ(version_env_value("17.0.15+6-1~deb12u1", "+"), "17.0.15");
  EXPECT_EQ(version_env_value("17.0.15+6-1~deb12u1", ""), "17.0.15+6");
  EXPECT_EQ(version_env_value("1:1.2.13.dfsg-1", ""), "1.2.13.dfsg");
  EXPECT_EQ(version_env_value("2.36-9+deb12u10", "-"), "2.36");
  EXPECT_EQ(version_env_value("20230311", ""), "20230311");  // native: no revision
}

TEST(VersionEnv, SetsEnvFromInstalledVersions) {
  ImageConfigSpec spec;
  spec.env = std::vector<std::string>{"LANG=C.UTF-8", "JAVA_VERSION=old"};
  spec.version_env.push_back({"JAVA_VERSION", "openjdk-17-jre-headless", "+", "j.yaml:9", ""});
  spec.version_env.push_back({"TZDATA", "tzdata", "", "j.yaml:10", ""});
  ImageConfigSpec out = with_version_env(
      spec, {{"openjdk-17-jre-headless", "17.0.18+8-1~deb12u1"}, {"tzdata", "2025b-0+deb12u1"}});
  EXPECT_EQ(out.env,
            (std::vector<std::string>{"LANG=C.UTF-8", "JAVA_VERSION=17.0.18", "TZDATA=2025b"}));
  EXPECT_EQ(error_of([&] {
              with_version_env(spec, {{"tzdata", "1-1"}});
            }),
            "j.yaml:9: version-env JAVA_VERSION names package openjdk-17-jre-headless, which is "
            "not in the image");
}

}  // namespace distill
