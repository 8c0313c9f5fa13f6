// Debian architecture names and their OCI platform equivalents.
#pragma once

#include <string>

#include "oci/types.h"

namespace distill {

// "arm64" -> linux/arm64/v8, "armhf" -> linux/arm/v7, "ppc64el" -> ppc64le.
oci::Platform platform_for_debian_arch(const std::string& arch);
// The reverse: OCI "arm"+"v7" -> armhf.
std::string debian_arch_for_platform(const oci::Platform& p);
// An OCI platform as given to --platform ("linux/arm/v7", "linux/ppc64le")
// -> its Debian architecture (armhf, ppc64el). Errors list the platforms.
std::string debian_arch_for_platform_text(const std::string& text);
// The architecture this binary runs on, as Debian names it.
std::string host_debian_arch();
// The GNU triplet Debian uses in library paths (x86_64-linux-gnu, ...).
std::string gnu_triplet(const std::string& debian_arch);

}  // namespace distill
