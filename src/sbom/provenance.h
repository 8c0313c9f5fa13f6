// SLSA v1 provenance in an in-toto Statement v1: what `distill build
// --provenance FILE` writes. Pure: the same inputs give the same bytes
// (sorted keys, no wall-clock time), so two builds give one statement.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace distill::sbom {

// A subject: the image (or index) and each platform's image.
struct ProvenanceSubject {
  std::string name;    // "static" or "static@linux/amd64"
  std::string digest;  // "sha256:HEX"
};

// An in-toto ResourceDescriptor: a definition file, a .deb, a tarball or an
// InRelease file the build read.
struct ProvenanceResource {
  std::string name;
  std::string uri;
  std::string sha256;  // hex
  std::string sha512;  // hex, when the source was checked with it
  std::map<std::string, std::string> annotations;
};

struct Provenance {
  std::vector<ProvenanceSubject> subjects;
  std::string definition;       // as the user named it ("static", "app.yaml")
  std::string definition_path;  // the file it resolved to
  std::string definition_text;  // its bytes
  std::string lockfile_path;    // "" = resolved against the archive
  std::string lockfile_text;
  std::map<std::string, std::string> flags;  // the options that shape the image
  std::vector<ProvenanceResource> dependencies;
  std::string started_on;  // RFC 3339, from SOURCE_DATE_EPOCH
};

// The statement as JSON: predicateType https://slsa.dev/provenance/v1,
// buildDefinition.{buildType, externalParameters, resolvedDependencies},
// runDetails.{builder, metadata}; two-space indent and a final newline.
std::string to_provenance_json(const Provenance& p);

}  // namespace distill::sbom
