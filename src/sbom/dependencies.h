// DEPENDS_ON edges between packages that are all in the image, from their
// Depends and Pre-Depends, after dpkg's rules: versions, Multi-Arch and
// Provides count, and an alternative group "a | b" points at the first
// alternative the image has.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sbom/package_db.h"

namespace distill::sbom {

// (from, to) indices into `packages`, sorted, without duplicates or
// self-edges. `native_arch` is the image's architecture ("amd64").
// A relation nobody in the image satisfies adds no edge (distroless images
// leave out e.g. debconf); an unparsable field is reported in `problems`.
std::vector<std::pair<size_t, size_t>> dependency_edges(
    const std::vector<InstalledPackage>& packages, const std::string& native_arch,
    std::vector<std::string>* problems);

}  // namespace distill::sbom
