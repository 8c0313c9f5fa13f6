// What `distill lock` writes: every package a definition selects for each
// architecture (installed and read by parts), sorted by name, plus the
// InRelease files they came from, and the tarball each upstream: item
// resolved to.
#pragma once

#include <string>
#include <vector>

#include "debian/lockfile.h"
#include "image/build_options.h"
#include "image/definition.h"

namespace distill {

debian::Lockfile lock_definition(const Definition& def, const SourceOptions& opts,
                                 const std::vector<std::string>& arches);

}  // namespace distill
