#include "sbom/document.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "oci/image_fixture.h"
#include "sbom/writers.h"

namespace distill::sbom {
namespace {

using testing::Files;

const char* kLibc =
    "Package: libc6\nSource: glibc\nVersion: 2.36-9+deb12u10\nArchitecture: amd64\n"
    "Multi-Arch: same\nMaintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
    "Depends: libgcc-s1\nHomepage: https://www.gnu.org/software/libc/libc.html\n";
const char* kZlib =
    "Package: zlib1g\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\n"
    "Maintainer: Mark Brown <broonie@debian.org>\nPre-Depends: libc6 (>= 2.14)\n";
const char* kGcc =
    "Package: libgcc-s1\nSource: gcc-12 (12.2.0-14)\nVersion: 12.2.0-14+deb12u1\n"
    "Architecture: amd64\nMaintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>\n"
    "Depends: libc6 (>= 2.35)\n";
const char* kZlibCopyright =
    "Format: http://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
    "Files: *\nCopyright: 1995-2013 Jean-loup Gailly and Mark Adler\nLicense: Zlib\n";
const char* kTzCopyright =
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
    "Files: *\nCopyright: none\nLicense: public-domain\n";

class SbomDocument : public ::testing::Test {
 protected:
  ImageFiles read(const std::vector<Files>& layers) {
    auto image = testing::make_image(tmp_.path(), layers);
    ImageFiles f = read_image(*image, ReadOptions{});
    f.name = "cc";
    return f;
  }
  std::vector<Files> layers() {
    return {
        {{"etc/debian_version", "12.12\n"},
         {"usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n"},
         {"var/lib/dpkg/status.d/libc6", kLibc},
         {"usr/share/doc/libc6/copyright", "free-form text\n"}},
        {{"var/lib/dpkg/status.d/zlib1g", kZlib},
         {"usr/share/doc/zlib1g/copyright", kZlibCopyright},
         {"var/lib/dpkg/status.d/libgcc-s1", kGcc},
         {"usr/share/doc/libgcc-s1/copyright", kTzCopyright}},
    };
  }
  TempDir tmp_;
};

TEST_F(SbomDocument, PackagesPurlsLicensesAndDependencies) {
  Sbom s = build_sbom(read(layers()), 0);
  EXPECT_EQ(s.created, "1970-01-01T00:00:00Z");
  EXPECT_TRUE(s.has_os);
  EXPECT_EQ(s.os.version, "12.12");
  EXPECT_EQ(s.os.distro, "debian-12");
  ASSERT_EQ(s.packages.size(), 3u);
  EXPECT_EQ(s.packages[0].deb.name, "libc6");
  EXPECT_EQ(s.packages[0].purl,
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=debian-12&upstream=glibc");
  EXPECT_EQ(s.packages[0].license, "");  // free-form copyright: NOASSERTION
  EXPECT_EQ(s.packages[1].deb.name, "libgcc-s1");
  EXPECT_EQ(s.packages[1].purl,
            "pkg:deb/debian/libgcc-s1@12.2.0-14%2Bdeb12u1?arch=amd64&distro=debian-12"
            "&upstream=gcc-12%4012.2.0-14");
  EXPECT_EQ(s.packages[1].license, "LicenseRef-public-domain");
  EXPECT_EQ(s.packages[2].purl,
            "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib");
  EXPECT_EQ(s.packages[2].license, "Zlib");
  EXPECT_EQ(s.packages[0].depends_on, std::vector<size_t>{1});
  EXPECT_EQ(s.packages[1].depends_on, std::vector<size_t>{0});
  EXPECT_EQ(s.packages[2].depends_on, std::vector<size_t>{0});
  ASSERT_EQ(s.license_refs.size(), 1u);
}

TEST_F(SbomDocument, SpdxHasOneOsRelationshipsAndADigestNamespace) {
  ImageFiles f = read(layers());
  auto doc = nlohmann::json::parse(to_spdx_json(build_sbom(f, 1700000000)));
  EXPECT_EQ(doc["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(doc["creationInfo"]["created"], "2023-11-14T22:13:20Z");
  std::string ns = doc["documentNamespace"];
  EXPECT_EQ(ns, "https://spdx.org/spdxdocs/distill-cc-" + uuid_v5("distill spdx " + f.digest));
  ASSERT_EQ(doc["packages"].size(), 5u);  // image, os, 3 packages
  EXPECT_EQ(doc["packages"][1]["primaryPackagePurpose"], "OPERATING_SYSTEM");
  EXPECT_EQ(doc["packages"][2]["supplier"],
            "Organization: GNU Libc Maintainers (debian-glibc@lists.debian.org)");
  EXPECT_EQ(doc["packages"][4]["supplier"], "Person: Mark Brown (broonie@debian.org)");
  EXPECT_EQ(doc["packages"][4]["versionInfo"], "1:1.2.13.dfsg-1");
  EXPECT_EQ(doc["packages"][4]["externalRefs"][0]["referenceCategory"], "PACKAGE-MANAGER");
  std::vector<std::string> rels;
  for (const auto& r : doc["relationships"])
    rels.push_back(r["spdxElementId"].get<std::string>() + " " +
                   r["relationshipType"].get<std::string>() + " " +
                   r["relatedSpdxElement"].get<std::string>());
  EXPECT_EQ(rels,
            (std::vector<std::string>{
                "SPDXRef-DOCUMENT DESCRIBES SPDXRef-Image",
                "SPDXRef-Image CONTAINS SPDXRef-OperatingSystem",
                "SPDXRef-Image CONTAINS SPDXRef-Package-deb-libc6-amd64",
                "SPDXRef-Image CONTAINS SPDXRef-Package-deb-libgcc-s1-amd64",
                "SPDXRef-Image CONTAINS SPDXRef-Package-deb-zlib1g-amd64",
                "SPDXRef-Package-deb-libc6-amd64 DEPENDS_ON SPDXRef-Package-deb-libgcc-s1-amd64",
                "SPDXRef-Package-deb-libgcc-s1-amd64 DEPENDS_ON SPDXRef-Package-deb-libc6-amd64",
                "SPDXRef-Package-deb-zlib1g-amd64 DEPENDS_ON SPDXRef-Package-deb-libc6-amd64",
            }));
  EXPECT_EQ(doc["hasExtractedLicensingInfos"][0]["licenseId"], "LicenseRef-public-domain");
}

TEST_F(SbomDocument, CycloneDxHasOneOperatingSystemAndDependencies) {
  ImageFiles f = read(layers());
  auto doc = nlohmann::json::parse(to_cyclonedx_json(build_sbom(f, 0)));
  EXPECT_EQ(doc["specVersion"], "1.6");
  EXPECT_EQ(doc["serialNumber"], "urn:uuid:" + uuid_v5("distill cyclonedx " + f.digest));
  int os = 0;
  for (const auto& c : doc["components"]) os += c["type"] == "operating-system";
  EXPECT_EQ(os, 1);
  EXPECT_EQ(doc["components"][3]["licenses"][0]["expression"], "Zlib");
  EXPECT_EQ(doc["dependencies"][0]["dependsOn"].size(), 4u);  // the image: os + 3 packages
  EXPECT_EQ(doc["dependencies"].back()["ref"], doc["components"][3]["purl"]);
  EXPECT_EQ(doc["dependencies"].back()["dependsOn"][0], doc["components"][1]["purl"]);
}

TEST_F(SbomDocument, SameImageSameBytesAndLaterLayersWin) {
  std::string a = to_spdx_json(build_sbom(read(layers()), 0));
  std::string b = to_spdx_json(build_sbom(read(layers()), 0));
  EXPECT_EQ(a, b);
  EXPECT_EQ(to_cyclonedx_json(build_sbom(read(layers()), 0)),
            to_cyclonedx_json(build_sbom(read(layers()), 0)));
  // A whiteout removes zlib1g's record: it is not in the SBOM any more.
  auto l = layers();
  l.push_back({{"var/lib/dpkg/status.d/.wh.zlib1g", ""}});
  Sbom s = build_sbom(read(l), 0);
  ASSERT_EQ(s.packages.size(), 2u);
  EXPECT_EQ(s.packages[1].deb.name, "libgcc-s1");
}

TEST_F(SbomDocument, ConflictingLicenseRefTextsGetDistinctIds) {
  auto l = layers();
  l[0]["usr/share/doc/libc6/copyright"] =
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
      "Files: *\nCopyright: x\nLicense: public-domain\n Another text.\n";
  Sbom s = build_sbom(read(l), 0);
  ASSERT_EQ(s.license_refs.size(), 2u);
  EXPECT_NE(s.packages[0].license, s.packages[1].license);
  EXPECT_EQ(s.packages[0].license.rfind("LicenseRef-public-domain-", 0), 0u);
}

TEST_F(SbomDocument, DistroQualifierFollowsTheRelease) {
  auto l = layers();
  l[0]["usr/lib/os-release"] = "ID=debian\nVERSION_ID=\"13\"\n";
  l[0]["etc/debian_version"] = "13.1\n";
  Sbom s = build_sbom(read(l), 0);
  EXPECT_EQ(s.os.distro, "debian-13");
  EXPECT_EQ(s.os.version, "13.1");
  EXPECT_NE(s.packages[2].purl.find("&distro=debian-13&"), std::string::npos) << s.packages[2].purl;
  // testing/sid: no VERSION_ID and a codename in debian_version, so no
  // qualifier rather than a wrong one.
  l[0]["usr/lib/os-release"] = "ID=debian\nVERSION_CODENAME=forky\n";
  l[0]["etc/debian_version"] = "forky/sid\n";
  s = build_sbom(read(l), 0);
  EXPECT_EQ(s.os.distro, "");
  EXPECT_EQ(s.packages[2].purl, "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&upstream=zlib");
  // No os-release and no debian_version: no operating-system component.
  l[0].erase("usr/lib/os-release");
  l[0].erase("etc/debian_version");
  s = build_sbom(read(l), 0);
  EXPECT_FALSE(s.has_os);
  auto doc = nlohmann::json::parse(to_cyclonedx_json(s));
  for (const auto& c : doc["components"]) EXPECT_NE(c["type"], "operating-system");
}

TEST_F(SbomDocument, BuildRecordAddsHashesLocationsAndArtifacts) {
  BuildRecord rec;
  rec.debs.push_back({"zlib1g", "1:1.2.13.dfsg-1", "amd64", std::string(64, 'a'),
                      "http://127.0.0.1:1/pool/main/z/zlib/zlib1g_1.2.13.dfsg-1_amd64.deb", false});
  // Another version of libc6 than the image has: not matched.
  rec.debs.push_back(
      {"libc6", "2.36-9", "amd64", std::string(64, 'b'), "http://x/libc6.deb", false});
  Artifact npm{Artifact::Kind::kUpstream,
               "@types/node",
               "22.4.1",
               "http://127.0.0.1:1/n.tgz",
               npm_purl("@types/node", "22.4.1"),
               std::string(64, 'c'),
               std::string(128, 'd')};
  Artifact file{
      Artifact::Kind::kFile, "/etc/app.conf", "", "/etc/app.conf", "", std::string(64, 'e'), ""};
  rec.artifacts = {npm, file};
  EXPECT_EQ(npm.purl, "pkg:npm/%40types/node@22.4.1");
  EXPECT_EQ(generic_purl("jdk.tar.gz", "https://h/jdk.tar.gz"),
            "pkg:generic/jdk.tar.gz?download_url=https%3A%2F%2Fh%2Fjdk.tar.gz");
  Sbom s = build_sbom(read(layers()), 0, &rec);
  ASSERT_EQ(s.packages.size(), 3u);
  EXPECT_EQ(s.packages[0].deb.name, "libc6");
  EXPECT_EQ(s.packages[0].sha256, "");
  EXPECT_EQ(s.packages[2].sha256, std::string(64, 'a'));
  auto spdx = nlohmann::json::parse(to_spdx_json(s));
  const auto& pk = spdx["packages"];
  EXPECT_EQ(pk[2]["downloadLocation"], "NOASSERTION");  // libc6
  EXPECT_EQ(pk[4]["downloadLocation"],
            "http://127.0.0.1:1/pool/main/z/zlib/zlib1g_1.2.13.dfsg-1_amd64.deb");
  EXPECT_EQ(pk[4]["checksums"][0]["checksumValue"], std::string(64, 'a'));
  EXPECT_EQ(pk[5]["primaryPackagePurpose"], "ARCHIVE");
  EXPECT_EQ(pk[5]["checksums"][1]["algorithm"], "SHA512");
  EXPECT_EQ(pk[6]["primaryPackagePurpose"], "FILE");
  EXPECT_EQ(pk[6]["SPDXID"], "SPDXRef-File-2--2Fetc-2Fapp.conf");
  auto cdx = nlohmann::json::parse(to_cyclonedx_json(s));
  const auto& comps = cdx["components"];
  EXPECT_EQ(comps[3]["hashes"][0]["content"], std::string(64, 'a'));
  EXPECT_EQ(comps[3]["externalReferences"][0]["type"], "distribution");
  EXPECT_EQ(comps[4]["type"], "application");
  EXPECT_EQ(comps[4]["bom-ref"], "pkg:npm/%40types/node@22.4.1");
  EXPECT_EQ(comps[5]["type"], "file");
  EXPECT_EQ(comps[5]["bom-ref"], "file:/etc/app.conf");
  // The image depends on every component, the artifacts included.
  EXPECT_EQ(cdx["dependencies"][0]["dependsOn"].size(), 6u);
}

// busybox-static in a :debug image: its files are under /busybox but no
// status.d entry names it, so the build record's .deb becomes a component
// of its own; a part layer's package that is installed (ca-certificates
// beside the CA bundle) stays one package, and an installed package's
// record that matches nothing (another version) is not a component.
TEST_F(SbomDocument, PartOnlyDebsAreComponentsOfTheirOwn) {
  BuildRecord rec;
  std::string url = "http://127.0.0.1:1/pool/main/b/busybox/busybox-static_1:1.35.0-4+b3_amd64.deb";
  rec.debs.push_back({"libc6", "2.36-9", "amd64", std::string(64, 'b'), "http://x/l.deb", false});
  rec.debs.push_back({"busybox-static", "1:1.35.0-4+b3", "amd64", std::string(64, 'f'), url, true});
  rec.debs.push_back({"busybox-static", "1:1.35.0-4+b3", "amd64", std::string(64, 'f'), url, true});
  rec.debs.push_back(
      {"zlib1g", "1:1.2.13.dfsg-1", "amd64", std::string(64, 'a'), "http://z", true});
  Sbom s = build_sbom(read(layers()), 0, &rec);
  ASSERT_EQ(s.packages.size(), 3u);
  EXPECT_EQ(s.packages[2].deb.name, "zlib1g");
  EXPECT_EQ(s.packages[2].sha256, std::string(64, 'a'));
  ASSERT_EQ(s.artifacts.size(), 1u);
  const Artifact& a = s.artifacts[0];
  EXPECT_EQ(a.kind, Artifact::Kind::kUpstream);
  EXPECT_EQ(a.name, "busybox-static");
  EXPECT_EQ(a.version, "1:1.35.0-4+b3");
  EXPECT_EQ(a.location, url);
  EXPECT_EQ(a.sha256, std::string(64, 'f'));
  EXPECT_EQ(a.purl, "pkg:deb/debian/busybox-static@1%3A1.35.0-4%2Bb3?arch=amd64&distro=debian-12");
  auto cdx = nlohmann::json::parse(to_cyclonedx_json(s));
  const auto& c = cdx["components"][4];
  EXPECT_EQ(c["type"], "application");
  EXPECT_EQ(c["bom-ref"], a.purl);
  EXPECT_EQ(c["hashes"][0]["content"], std::string(64, 'f'));
  EXPECT_EQ(c["externalReferences"][0]["url"], url);
  // Not a library: the libraries stay what dpkg (and a scanner) sees.
  int libraries = 0;
  for (const auto& comp : cdx["components"]) libraries += comp["type"] == "library";
  EXPECT_EQ(libraries, 3);
  auto spdx = nlohmann::json::parse(to_spdx_json(s));
  EXPECT_EQ(spdx["packages"][5]["primaryPackagePurpose"], "ARCHIVE");
  EXPECT_EQ(spdx["packages"][5]["downloadLocation"], url);
}

TEST(SbomTime, EpochsFormatAsUtc) {
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(1764547200), "2025-12-01T00:00:00Z");
}

TEST(SbomUuid, Version5Layout) {
  // What Python's uuid.uuid5(uuid.NAMESPACE_URL, "https://example.com") gives.
  EXPECT_EQ(uuid_v5("https://example.com"), "4fd35a71-71ef-5a55-a9d9-aa75c889a6d0");
}

}  // namespace
}  // namespace distill::sbom
