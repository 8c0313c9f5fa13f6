// The OCI image config: runtime settings, rootfs diff_ids and one history
// entry per layer. Nothing time- or host-dependent goes in: created is the
// epoch unless the definition sets config.created.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "image/definition.h"
#include "oci/types.h"

namespace distill {

inline constexpr const char* kDefaultPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The value config.version-env gives `version`: the epoch dropped, then cut
// before the first `cut_at`, or (cut_at empty) before the Debian revision.
// "17.0.15+6-1~deb12u1" cut at "+" is "17.0.15".
std::string version_env_value(const std::string& version, const std::string& cut_at);

// `spec` with each version-env entry set in env (replacing the same key)
// and each version-annotations entry set in annotations, from the versions
// of the packages built into the image (Debian versions, cut as
// version_env_value does) or of its upstream: items (as they are, or cut
// before cut-at). A package or item that is not in the image, or an item
// whose version is unknown, is an error naming the entry.
ImageConfigSpec with_version_env(const ImageConfigSpec& spec,
                                 const std::map<std::string, std::string>& versions,
                                 const std::map<std::string, std::string>& upstream_versions = {});

// The time of a config whose definition sets no config.created, as the
// reference images have it (rules_oci 2.x).
inline constexpr const char* kEpochCreated = "1970-01-01T00:00:00Z";

// The config's JSON (compact, keys sorted). `created_by[i]` says what layer
// i (of `diff_ids`, same length) is; each becomes a history entry with the
// config's created time, in layer order, none of them an empty_layer, so
// clients that pair history with layers (docker history) line them up.
std::string render_config(const ImageConfigSpec& spec, const oci::Platform& platform,
                          const std::vector<std::string>& diff_ids,
                          const std::vector<std::string>& created_by);

}  // namespace distill
