// The two SBOM formats distill writes. Both are pure functions of the Sbom:
// JSON with sorted keys, arrays in package order, two-space indent and a
// final newline, so the same image and SOURCE_DATE_EPOCH give the same bytes.
#pragma once

#include <string>

#include "sbom/document.h"

namespace distill::sbom {

// SPDX 2.3 JSON: the document DESCRIBES the image package, which CONTAINS
// the operating system and each Debian package; DEPENDS_ON between packages.
std::string to_spdx_json(const Sbom& sbom);

// CycloneDX 1.6 JSON: the image as metadata.component, one operating-system
// component and one library component per package; dependencies for every
// component (the image depends on all of them).
std::string to_cyclonedx_json(const Sbom& sbom);

}  // namespace distill::sbom
