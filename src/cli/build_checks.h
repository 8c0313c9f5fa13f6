// What `distill build` checks on the images it built, before any output is
// written: that the config's user, program and workdir exist in the image
// (inspect/image_checks.h; checks: turns each off) and the definition's
// budget: (inspect's CI gates, inspect/gates.h).
// The images are read back through inspect's merged view of their layers,
// the same one `distill inspect` reports on, once per image digest.
#pragma once

#include "image/builder.h"
#include "image/definition.h"

namespace distill::cli {

// Throws Error "FILE:LINE: ..." naming the definition line that set the
// field when a check fails (after printing the others, one line each).
// Throws Error when an image breaks its budget, after printing every breach
// on stderr (one line each, naming the limit, where it was set and what was
// measured); the exit status is then inspect::kGateExitStatus.
// The facts the checks read are kept under `cache_dir` ("" = the default
// cache) by the image's digest, so a rebuild of the same image reads none
// of its layers.
void check_built_images(const Definition& def, const BuildResult& result,
                        const std::string& cache_dir);

}  // namespace distill::cli
