// The OCI image config: runtime settings plus rootfs diff_ids. Nothing
// time- or host-dependent goes in unless the definition asks (created).
#pragma once

#include <string>
#include <vector>

#include "image/definition.h"
#include "oci/types.h"

namespace distill {

inline constexpr const char* kDefaultPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string render_config(const ImageConfigSpec& spec, const oci::Platform& platform,
                          const std::vector<std::string>& diff_ids);

}  // namespace distill
