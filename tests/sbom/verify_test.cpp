#include "sbom/verify.h"

#include <gtest/gtest.h>

#include "oci/image_fixture.h"
#include "sbom/image_source.h"
#include "sbom/md5.h"
#include "util/error.h"

namespace distill::sbom {
namespace {

using testing::Files;

std::string md5_of(const std::string& data) {
  Md5 m;
  m.update(data.data(), data.size());
  return m.hex();
}

class Verify : public ::testing::Test {
 protected:
  std::vector<std::string> lines(const std::vector<Files>& layers, VerifyReport* out = nullptr) {
    auto image = testing::make_image(tmp_.path(), layers);
    ReadOptions o;
    o.md5 = true;
    ImageFiles f = read_image(*image, o);
    VerifyReport r = verify_files(f.fs, read_packages(f.fs), f.removed);
    std::vector<std::string> text;
    for (const auto& x : r.findings) text.push_back(finding_line(x));
    if (out) *out = r;
    return text;
  }
  Files base() {
    return {{"var/lib/dpkg/status.d/foo", "Package: foo\nVersion: 1\nArchitecture: amd64\n"},
            {"var/lib/dpkg/status.d/foo.md5sums",
             md5_of("one") + "  usr/bin/one\n" + md5_of("two") + "  usr/bin/two\n" + md5_of("doc") +
                 "  usr/share/doc/foo/README\n" + md5_of("os") + "  usr/lib/os-release\n"},
            {"usr/bin/one", "one"},
            {"usr/bin/two", "two"},
            {"usr/lib/os-release", "os"}};
  }
  TempDir tmp_;
};

TEST_F(Verify, CleanImageHasNoFindingsAndCountsUnshippedFiles) {
  VerifyReport r;
  EXPECT_TRUE(lines({base()}, &r).empty());
  EXPECT_EQ(r.files, 4u);
  EXPECT_EQ(r.packages, 1u);
  // README was never in any layer: not installed, not missing.
  ASSERT_EQ(r.not_installed.size(), 1u);
  EXPECT_EQ(r.not_installed[0], (std::pair<std::string, size_t>{"foo", 1}));
}

TEST_F(Verify, ModifiedMissingAndUnownedInLaterLayers) {
  Files later = {{"usr/bin/one", "changed"},
                 {"usr/bin/.wh.two", ""},
                 {"usr/bin/extra", "x"},
                 {"usr/lib/os-release", "ID=custom\n"}};
  VerifyReport r;
  EXPECT_EQ(lines({base(), later}, &r), (std::vector<std::string>{
                                            "unowned /usr/bin/extra (directory of package foo)",
                                            "modified /usr/bin/one (package foo)",
                                            "missing /usr/bin/two (package foo)",
                                        }));
  ASSERT_EQ(r.customized.size(), 1u);  // the image's own os-release
  EXPECT_EQ(r.customized[0].path, "/usr/lib/os-release");
}

TEST_F(Verify, PackagesWithoutARecordAreListedAndBadLinesNamed) {
  Files f = base();
  f["var/lib/dpkg/status.d/bar"] = "Package: bar\nVersion: 2\nArchitecture: all\n";
  VerifyReport r;
  EXPECT_TRUE(lines({f}, &r).empty());
  EXPECT_EQ(r.unverified, std::vector<std::string>{"bar"});
  f["var/lib/dpkg/status.d/foo.md5sums"] = "deadbeef usr/bin/one\n";
  try {
    lines({f});
    FAIL() << "a malformed md5sums line was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/var/lib/dpkg/status.d/foo.md5sums:1:"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(Verify, DpkgInfoRecordsOfAStatusFile) {
  Files f = {{"var/lib/dpkg/status",
              "Package: foo\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\n"
              "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\nArchitecture: all\n"},
             {"var/lib/dpkg/info/foo.md5sums", md5_of("one") + "  usr/bin/one\n"},
             {"usr/bin/one", "tampered"}};
  VerifyReport r;
  EXPECT_EQ(lines({f}, &r), std::vector<std::string>{"modified /usr/bin/one (package foo)"});
  EXPECT_TRUE(r.unverified.empty());  // "gone" is not installed
}

}  // namespace
}  // namespace distill::sbom
