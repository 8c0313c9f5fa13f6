// SPDX 2.3 JSON (spdx-2.3-schema.json). Enum spellings differ between
// fields: referenceCategory "PACKAGE-MANAGER", primaryPackagePurpose
// "OPERATING_SYSTEM".
#include <nlohmann/json.hpp>

#include "sbom/writers.h"
#include "util/sha256.h"

namespace distill::sbom {

namespace {

using nlohmann::json;

// SPDX ids allow [A-Za-z0-9.-]; other bytes become -XX (uppercase hex,
// which Debian's lowercase package names cannot collide with).
std::string id_part(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '.' || c == '-') {
      out += ch;
    } else {
      out += '-';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string package_id(const SbomPackage& p) {
  return "SPDXRef-Package-deb-" + id_part(p.deb.name) + "-" + id_part(p.deb.architecture);
}

// "Name <addr>" -> "Person: Name (addr)"; teams and lists are organisations.
std::string supplier(const std::string& maintainer) {
  if (maintainer.empty()) return "NOASSERTION";
  auto [name, email] = parse_maintainer(maintainer);
  bool org = email.find("lists.") != std::string::npos;
  for (const char* word : {"Team", "Maintainers", "Project", "Group", "Developers"})
    org = org || name.find(word) != std::string::npos;
  std::string out = std::string(org ? "Organization: " : "Person: ") + name;
  if (!email.empty()) out += " (" + email + ")";
  return out;
}

json purl_ref(const std::string& purl) {
  return {{"referenceCategory", "PACKAGE-MANAGER"},
          {"referenceType", "purl"},
          {"referenceLocator", purl}};
}

json relationship(const std::string& from, const char* type, const std::string& to) {
  return {{"spdxElementId", from}, {"relationshipType", type}, {"relatedSpdxElement", to}};
}

json package_json(const SbomPackage& p) {
  json j = {
      {"SPDXID", package_id(p)},
      {"name", p.deb.name},
      {"versionInfo", p.deb.version},
      {"supplier", supplier(p.deb.maintainer)},
      {"downloadLocation", p.download_location.empty() ? "NOASSERTION" : p.download_location},
      {"filesAnalyzed", false},
      {"licenseConcluded", "NOASSERTION"},
      {"licenseDeclared", p.license.empty() ? "NOASSERTION" : p.license},
      {"copyrightText", "NOASSERTION"},
      {"primaryPackagePurpose", "LIBRARY"},
      {"sourceInfo",
       "built from Debian source package " + p.deb.source + " " + p.deb.source_version},
      {"externalRefs", json::array({purl_ref(p.purl)})},
  };
  if (!p.deb.homepage.empty()) j["homepage"] = p.deb.homepage;
  if (!p.sha256.empty())
    j["checksums"] = json::array({{{"algorithm", "SHA256"}, {"checksumValue", p.sha256}}});
  return j;
}

std::string artifact_id(const Artifact& a, size_t index) {
  return std::string(a.kind == Artifact::Kind::kFile ? "SPDXRef-File-" : "SPDXRef-Upstream-") +
         std::to_string(index + 1) + "-" + id_part(a.name);
}

// An upstream: tarball or a files: file, with its hashes; files have no
// download location (the definition is where they come from).
json artifact_json(const Artifact& a, size_t index) {
  bool file = a.kind == Artifact::Kind::kFile;
  json sums = json::array({{{"algorithm", "SHA256"}, {"checksumValue", a.sha256}}});
  if (!a.sha512.empty()) sums.push_back({{"algorithm", "SHA512"}, {"checksumValue", a.sha512}});
  json j = {
      {"SPDXID", artifact_id(a, index)},
      {"name", a.name},
      {"downloadLocation", file || a.location.empty() ? "NOASSERTION" : a.location},
      {"filesAnalyzed", false},
      {"licenseConcluded", "NOASSERTION"},
      {"licenseDeclared", "NOASSERTION"},
      {"copyrightText", "NOASSERTION"},
      {"primaryPackagePurpose", file ? "FILE" : "ARCHIVE"},
      {"checksums", sums},
  };
  if (!a.version.empty()) j["versionInfo"] = a.version;
  if (file) j["packageFileName"] = a.location;
  if (!a.purl.empty()) j["externalRefs"] = json::array({purl_ref(a.purl)});
  return j;
}

}  // namespace

std::string to_spdx_json(const Sbom& s) {
  const std::string image_id = "SPDXRef-Image";
  const std::string os_id = "SPDXRef-OperatingSystem";
  json packages = json::array();
  std::string hex = s.image_digest.substr(s.image_digest.find(':') + 1);
  packages.push_back({
      {"SPDXID", image_id},
      {"name", s.image_name},
      {"versionInfo", s.image_digest},
      {"downloadLocation", "NOASSERTION"},
      {"filesAnalyzed", false},
      {"licenseConcluded", "NOASSERTION"},
      {"licenseDeclared", "NOASSERTION"},
      {"copyrightText", "NOASSERTION"},
      {"primaryPackagePurpose", "CONTAINER"},
      {"checksums", json::array({{{"algorithm", "SHA256"}, {"checksumValue", hex}}})},
      {"externalRefs", json::array({purl_ref(s.image_purl)})},
  });
  json rel = json::array();
  rel.push_back(relationship("SPDXRef-DOCUMENT", "DESCRIBES", image_id));
  if (s.has_os) {
    packages.push_back({
        {"SPDXID", os_id},
        {"name", s.os.id},
        {"versionInfo", s.os.version},
        {"downloadLocation", "NOASSERTION"},
        {"filesAnalyzed", false},
        {"licenseConcluded", "NOASSERTION"},
        {"licenseDeclared", "NOASSERTION"},
        {"copyrightText", "NOASSERTION"},
        {"primaryPackagePurpose", "OPERATING_SYSTEM"},
    });
    rel.push_back(relationship(image_id, "CONTAINS", os_id));
  }
  for (const auto& p : s.packages) {
    packages.push_back(package_json(p));
    rel.push_back(relationship(image_id, "CONTAINS", package_id(p)));
  }
  for (size_t i = 0; i < s.artifacts.size(); ++i) {
    packages.push_back(artifact_json(s.artifacts[i], i));
    rel.push_back(relationship(image_id, "CONTAINS", artifact_id(s.artifacts[i], i)));
  }
  for (const auto& p : s.packages) {
    for (size_t to : p.depends_on)
      rel.push_back(relationship(package_id(p), "DEPENDS_ON", package_id(s.packages[to])));
  }
  json doc = {
      {"spdxVersion", "SPDX-2.3"},
      {"dataLicense", "CC0-1.0"},
      {"SPDXID", "SPDXRef-DOCUMENT"},
      {"name", s.image_name + "@" + s.image_digest},
      {"documentNamespace", "https://spdx.org/spdxdocs/distill-" + id_part(s.image_name) + "-" +
                                uuid_v5("distill spdx " + s.image_digest)},
      {"creationInfo",
       {{"created", s.created}, {"creators", json::array({"Tool: distill-" DISTILL_VERSION})}}},
      {"packages", packages},
      {"relationships", rel},
  };
  if (!s.license_refs.empty()) {
    json refs = json::array();
    for (const auto& r : s.license_refs)
      refs.push_back({{"licenseId", r.id}, {"name", r.name}, {"extractedText", r.text}});
    doc["hasExtractedLicensingInfos"] = refs;
  }
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace distill::sbom
