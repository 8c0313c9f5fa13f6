// The entry points other commands use for docker:// references.
#pragma once

#include <string>
#include <vector>

#include "oci/image.h"
#include "registry/options.h"
#include "registry/push.h"

namespace distill::registry {

// Opens "docker://HOST/REPO:TAG" (or without the prefix) for reading. Blobs
// are fetched when read (or by prefetch()), each verified by digest.
oci::Artifact open_registry(const std::string& ref, const RegistryOptions& opts);

// The tags of the repository of "docker://HOST/REPO" (a tag or digest in
// the reference is ignored), in the registry's order, every page of them.
std::vector<std::string> list_tags(const std::string& ref, const RegistryOptions& opts);

// Downloads the layers of `artifact` that live in a registry, in parallel
// (opts.parallel at a time) with a progress display on a terminal. A no-op
// for artifacts from elsewhere (no progress display either).
void prefetch(const oci::Artifact& artifact, const RegistryOptions& opts);

// Pushes an image or an index to "docker://HOST/REPO:TAG".
PushStats push_artifact(const oci::Artifact& artifact, const std::string& ref,
                        const RegistryOptions& opts);

}  // namespace distill::registry
