// Artifacts attached to an image (image-spec 1.1 "artifacts", distribution
// spec 1.1 "referrers"): an OCI image manifest whose `artifactType` says
// what it carries, whose config is the empty descriptor, whose one layer is
// the document (an SBOM, a provenance statement) and whose `subject` is the
// image's manifest descriptor. The registry and layout transports store and
// find them; this file is the format they share.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "oci/types.h"

namespace distill::oci {

inline constexpr const char* kEmptyMediaType = "application/vnd.oci.empty.v1+json";
inline constexpr const char* kSpdxJson = "application/spdx+json";
inline constexpr const char* kCycloneDxJson = "application/vnd.cyclonedx+json";
inline constexpr const char* kInTotoJson = "application/vnd.in-toto+json";

// The empty JSON blob "{}" and its descriptor (the config of an artifact).
const std::string& empty_blob();
Descriptor empty_descriptor();

// One document to attach, and the artifact manifest made for it.
struct Attachment {
  std::string artifact_type;  // kSpdxJson, kCycloneDxJson, kInTotoJson, ...
  std::string content;        // the document's bytes, stored unchanged
  std::string title;          // org.opencontainers.image.title of the layer ("" = none)
};

struct ArtifactManifest {
  std::string raw;        // the manifest's bytes (canonical JSON)
  Descriptor descriptor;  // of the manifest, with artifactType (as referrers list it)
  Descriptor blob;        // the one layer: the document
};

// Builds the artifact manifest attaching `a` to `subject` (an image
// manifest or index descriptor; its annotations and platform are dropped).
// The same inputs give the same bytes: no timestamps.
ArtifactManifest make_artifact(const Descriptor& subject, const Attachment& a);

// What an artifact manifest says, from its raw bytes: artifactType, else
// the config's media type unless that is an image config's ("" then, as
// cosign's tags have). Throws an Error naming `what` unless it is a JSON
// object with at least one layer.
struct ParsedArtifact {
  std::string artifact_type;
  Descriptor subject;  // digest "" when the manifest has none
  std::vector<Descriptor> layers;
};
ParsedArtifact parse_artifact(const std::string& raw, const std::string& what);

// The distribution spec's referrers tag for a digest: "sha256-<hex>" (the
// algorithm cut to 32 characters, the hex to 64).
std::string referrers_tag(const std::string& digest);

// The referrers index (the referrers API's answer and the tag schema's
// document): an OCI image index listing `entries`.
std::string referrers_index(const std::vector<Descriptor>& entries);
// Its entries. Throws an Error naming `what` unless it is an index.
std::vector<Descriptor> parse_referrers_index(const std::string& raw, const std::string& what);

// The artifact type of a document, from its content: SPDX JSON
// ("spdxVersion"), CycloneDX JSON ("bomFormat": "CycloneDX") or an in-toto
// statement ("_type" https://in-toto.io/Statement/...). "" when it is none
// of them (the caller asks for --artifact-type).
std::string sniff_artifact_type(const std::string& content);

// The SBOM format ("spdx-json", "cyclonedx-json") an artifact type or a
// cosign layer media type carries, else "".
std::string sbom_format_of(const std::string& media_type);

}  // namespace distill::oci
