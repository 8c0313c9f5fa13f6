// Package URLs (purl-spec) for Debian packages, as grype and Trivy match
// them: pkg:deb/VENDOR/NAME@VERSION?arch=ARCH&distro=debian-12&upstream=SRC.
#pragma once

#include <string>
#include <string_view>

namespace distill::sbom {

// Percent-encodes every byte outside purl's unreserved set (A-Z a-z 0-9 and
// ".-_~"), so an epoch's ':' becomes %3A and '+' becomes %2B; parsers decode
// both forms to the same version.
std::string purl_encode(std::string_view text);

struct DebPurl {
  std::string vendor = "debian";  // the namespace: os-release's ID, lowercase
  std::string name;               // binary package
  std::string version;            // dpkg version, epoch included ("1:1.2.13.dfsg-1")
  std::string architecture;       // "amd64", "all"
  std::string distro;             // "debian-12"; "" leaves the qualifier out
  std::string source;             // source package ("" = same as name)
  std::string source_version;     // "" = same as version
};

// The epoch stays inside the version (the purl-spec deb examples, and what
// grype compares; an epoch= qualifier is only read for RPMs). Qualifiers
// come in key order; upstream= is "SRC" when only the name differs and
// "SRC@SRCVERSION" when the version does.
std::string deb_purl(const DebPurl& p);

}  // namespace distill::sbom
