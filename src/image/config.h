// The OCI image config: runtime settings plus rootfs diff_ids. Nothing
// time- or host-dependent goes in unless the definition asks (created).
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

// `spec` with each version-env entry set in env (replacing the same key),
// from the versions of the packages built into the image. A package that
// is not in the image is an error naming the entry.
ImageConfigSpec with_version_env(const ImageConfigSpec& spec,
                                 const std::map<std::string, std::string>& versions);

std::string render_config(const ImageConfigSpec& spec, const oci::Platform& platform,
                          const std::vector<std::string>& diff_ids);

}  // namespace distill
