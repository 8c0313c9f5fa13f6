// What the crane-like read commands (ls, manifest, config, digest) share:
// one reference, an optional --platform, the registry flags for reading,
// and a stdout that carries exactly the bytes asked for.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/registry_flags.h"
#include "oci/image.h"

namespace distill::cli {

struct ReadArgs {
  std::string reference;
  std::string platform;  // "" = none given
  RegistryFlags registry;
};

// Adds the reference argument (described by `what`), --platform when
// `platform` and the read registry flags.
void add_read_args(CLI::App* cmd, ReadArgs& a, const std::string& what, bool platform);

// Opens a.reference through its transport (blobs stay unread).
oci::Artifact open_read(const ReadArgs& a);

// The image `platform` names: picked from an index as Artifact::select does
// ("" = the only one, or linux/amd64); a single image must match it.
// `reference` is for messages. Shared with copy --platform.
oci::ImagePtr pick_image(const oci::Artifact& art, const std::string& platform,
                         const std::string& reference);
inline oci::ImagePtr pick_image(const oci::Artifact& art, const ReadArgs& a) {
  return pick_image(art, a.platform, a.reference);
}

// Writes `bytes` to stdout unchanged; a failed write is an Error.
void write_stdout(const std::string& bytes);

}  // namespace distill::cli
