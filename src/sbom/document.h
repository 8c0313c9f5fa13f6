// What an SBOM says about one image, independent of the format: the image,
// its operating system, its Debian packages with purls and licenses, and
// the dependencies among them. The writers (spdx.h, cyclonedx.h) only
// serialise this, so both formats carry the same facts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sbom/image_source.h"
#include "sbom/license_expr.h"
#include "sbom/package_db.h"

namespace distill::sbom {

struct OsInfo {
  std::string id;          // os-release ID, "debian"
  std::string version;     // /etc/debian_version ("12.12"), else VERSION_ID
  std::string version_id;  // os-release VERSION_ID ("12")
  std::string distro;      // purl qualifier "debian-12"; "" when unknown
};

// What distill's build knew and the image does not record: the .deb's
// SHA-256 from the signed index and its download URL, the upstream:
// tarballs and the files: of the definition. `sbom REF` on an image from
// elsewhere has none of it.
struct RecordedDeb {
  std::string name, version, architecture;
  std::string sha256;             // hex, from the Packages index the InRelease signed
  std::string download_location;  // the URL the .deb was fetched from
  // Read by a part layer only (busybox, extract:, the CA bundle), not
  // installed: dpkg does not record it, so when no status.d entry matches it
  // the SBOM lists it as a component of its own (busybox in a :debug image).
  bool part_only = false;
};

// A component outside the dpkg database: an upstream: runtime or a file.
struct Artifact {
  enum class Kind { kUpstream, kFile } kind = Kind::kFile;
  std::string name;      // npm package name, the tarball's file name, or the image path
  std::string version;   // "" when the source has none
  std::string location;  // tarball URL; for a file, its path in the image
  std::string purl;      // pkg:npm/... or pkg:generic/...; "" for files
  std::string sha256;    // hex
  std::string sha512;    // hex, when the source was checked with sha512 ("" otherwise)
};

struct BuildRecord {
  std::vector<RecordedDeb> debs;
  std::vector<Artifact> artifacts;  // upstream tarballs first, then files, as built
};

struct SbomPackage {
  InstalledPackage deb;
  std::string purl;
  std::string sha256;              // of the .deb, "" unless the build record has it
  std::string download_location;   // "" = NOASSERTION
  std::string license;             // SPDX expression, "" = NOASSERTION
  std::vector<size_t> depends_on;  // indices into Sbom::packages, ascending
};

struct Sbom {
  std::string image_name;    // short name ("static")
  std::string image_digest;  // manifest digest
  std::string architecture;  // of the image ("amd64")
  std::string image_purl;    // pkg:oci/NAME@DIGEST?arch=ARCH
  std::string created;       // RFC 3339 UTC, from SOURCE_DATE_EPOCH
  bool has_os = false;       // false when the image has no os-release/debian_version
  OsInfo os;
  std::vector<SbomPackage> packages;     // sorted by name, architecture
  std::vector<Artifact> artifacts;       // from the build record, in its order
  std::vector<LicenseRef> license_refs;  // every LicenseRef used, unique ids, sorted
};

// "Name <address>" as Debian's Maintainer field writes it.
struct Contact {
  std::string name;
  std::string email;  // "" when the field has no <address>
};
Contact parse_maintainer(const std::string& maintainer);

// SOURCE_DATE_EPOCH from the environment, 0 when unset or empty; anything
// but a non-negative integer is an Error.
int64_t source_date_epoch();

// "1970-01-01T00:00:00Z" for 0.
std::string rfc3339_utc(int64_t epoch_seconds);

// A name-based (version 5, SHA-1) UUID in the URL namespace, lowercase:
// the same name always gives the same serial number / namespace.
std::string uuid_v5(const std::string& name);

// Collects the facts from an image read with read_image(). LicenseRefs
// that two packages define with different texts get a suffix from their
// text's SHA-256, so each id means one text in the document. `record`
// (distill build) adds hashes, download locations and artifacts; a
// recorded .deb matches a package by name, version and architecture.
Sbom build_sbom(const ImageFiles& image, int64_t created_epoch,
                const BuildRecord* record = nullptr);

// pkg:npm/NAME@VERSION (a scope's '@' encoded) for an npm runtime, and
// pkg:generic/FILE?download_url=URL for a tarball from a URL.
std::string npm_purl(const std::string& name, const std::string& version);
std::string generic_purl(const std::string& name, const std::string& url);

}  // namespace distill::sbom
