// What `build` writes besides the image: SBOMs (--sbom DIR) and the
// provenance statement (--provenance FILE), from the built images and the
// build record the builder keeps (image/build_inputs.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "image/builder.h"
#include "image/definition.h"
#include "sbom/document.h"
#include "transport/transport.h"

namespace distill::cli {

// The SBOM facts of one built image that the image does not carry.
sbom::BuildRecord build_record(const BuiltImage& img);

// Writes DIR/ARCH.spdx.json and DIR/ARCH.cdx.json for every image of `r`
// (creation time `epoch`), and returns the paths written in that order.
std::vector<std::string> write_build_sboms(const std::string& dir, const std::string& name,
                                           const BuildResult& r, int64_t epoch);

// What the provenance statement records besides the build result.
struct ProvenanceArgs {
  std::string definition;  // as the user named it
  std::string lock;        // --lock path, "" = none
  std::map<std::string, std::string> flags;
  int64_t epoch = 0;
};

// Writes the in-toto statement with the SLSA v1 provenance of `r` to `file`.
void write_provenance(const std::string& file, const Definition& def, const BuildResult& r,
                      const ProvenanceArgs& args);

// Attaches, as OCI referrers in `store`, each platform's SBOMs (`sboms` as
// write_build_sboms returned them) to that platform's image, and the
// provenance statement (`provenance`, "" = none) to what the build made
// (the index, or the one image). The files' bytes are attached unchanged.
void attach_build_outputs(transport::ReferrerStore& store, const BuildResult& r,
                          const std::vector<std::string>& sboms, const std::string& provenance,
                          const std::string& where);

}  // namespace distill::cli
