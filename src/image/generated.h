// Files distill writes itself (not taken from packages): /etc/passwd,
// /etc/group, home directories, /usr/lib/os-release, and the definition's
// own files, directories and symlinks. All go into one LayerPlan.
#pragma once

#include "image/definition.h"
#include "image/layer_plan.h"

namespace distill {

std::string render_passwd(const std::vector<UserSpec>& users);
std::string render_group(const std::vector<GroupSpec>& groups);
std::string render_os_release(const std::vector<std::pair<std::string, std::string>>& fields);

// Adds everything the definition generates for `arch` to `plan`. Paths and
// symlink targets may use ${ARCH} (Debian name) and ${TRIPLET} (GNU triplet).
// With merged-usr:, files under /bin, /lib... are put under /usr; a
// directory or symlink there is an error naming the definition's line.
void plan_generated(const Definition& def, const std::string& arch, LayerPlan& plan);

std::string expand_arch(const std::string& text, const std::string& arch);

}  // namespace distill
