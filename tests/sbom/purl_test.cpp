#include "sbom/purl.h"

#include <gtest/gtest.h>

namespace distill::sbom {
namespace {

TEST(Purl, EpochColonAndPlusArePercentEncodedTildeStays) {
  EXPECT_EQ(purl_encode("1:2.3"), "1%3A2.3");
  EXPECT_EQ(purl_encode("2.4.47-2+b1"), "2.4.47-2%2Bb1");
  EXPECT_EQ(purl_encode("1.0~rc1-1"), "1.0~rc1-1");
  EXPECT_EQ(purl_encode("a b/c@d?e"), "a%20b%2Fc%40d%3Fe");
}

TEST(Purl, DebianPackageWithEpochAndDistro) {
  DebPurl p;
  p.name = "zlib1g";
  p.version = "1:1.2.13.dfsg-1";
  p.architecture = "amd64";
  p.distro = "debian-12";
  p.source = "zlib";
  EXPECT_EQ(deb_purl(p),
            "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib");
}

TEST(Purl, UpstreamCarriesTheSourceVersionOnlyWhenItDiffers) {
  DebPurl p;
  p.name = "libssl3";
  p.version = "3.0.17-1~deb12u2";
  p.architecture = "amd64";
  p.distro = "debian-12";
  p.source = "openssl";
  p.source_version = "3.0.17-1~deb12u2";
  EXPECT_EQ(deb_purl(p),
            "pkg:deb/debian/libssl3@3.0.17-1~deb12u2?arch=amd64&distro=debian-12"
            "&upstream=openssl");
  p.name = "libgcc-s1";
  p.version = "12.2.0-14+deb12u1";
  p.source = "gcc-12";
  p.source_version = "12.2.0-14+deb12u1";
  p.distro = "debian-13";
  EXPECT_EQ(deb_purl(p),
            "pkg:deb/debian/libgcc-s1@12.2.0-14%2Bdeb12u1?arch=amd64&distro=debian-13"
            "&upstream=gcc-12");
  // A binNMU: same source name, other version.
  p.name = "attr";
  p.version = "1:2.4.47-2+b1";
  p.source = "attr";
  p.source_version = "1:2.4.47-2";
  EXPECT_EQ(deb_purl(p),
            "pkg:deb/debian/attr@1%3A2.4.47-2%2Bb1?arch=amd64&distro=debian-13"
            "&upstream=attr%401%3A2.4.47-2");
}

TEST(Purl, NoUpstreamForItsOwnSourceNoDistroWhenUnknown) {
  DebPurl p;
  p.name = "netbase";
  p.version = "6.4";
  p.architecture = "all";
  EXPECT_EQ(deb_purl(p), "pkg:deb/debian/netbase@6.4?arch=all");
}

}  // namespace
}  // namespace distill::sbom
