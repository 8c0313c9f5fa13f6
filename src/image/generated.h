// Files distill writes itself (not taken from packages): /etc/passwd,
// /etc/group, home directories, /usr/lib/os-release, and the definition's
// own files, directories and symlinks. They go into one LayerPlan, part
// "generated", unless parts: lists the parts that split them the way the
// reference does (one layer each: rootfs, passwd, home, group, tmp,
// nsswitch, os-release; image/part_split.cpp).
#pragma once

#include <map>

#include "image/definition.h"
#include "image/layer_plan.h"

namespace distill {

// The generated files by the layer they go in.
struct GeneratedFiles {
  // Part "generated": what no split part parts: lists takes.
  LayerPlan rest;
  // By split part ("passwd", "home", ...), only those parts: lists.
  std::map<std::string, LayerPlan> split;
  // The plan of split part `part`, or null if there is none or it is empty.
  const LayerPlan* find(const std::string& part) const;
  bool contains(const std::string& path) const;  // in any plan
  // ("type /path", origin) of every item, in part then path order.
  std::vector<std::pair<std::string, std::string>> describe() const;
};

std::string render_passwd(const std::vector<UserSpec>& users);
std::string render_group(const std::vector<GroupSpec>& groups);
std::string render_os_release(const std::vector<std::pair<std::string, std::string>>& fields);

// Adds everything the definition generates for `arch` to `out`: /etc/passwd
// to split part "passwd", /etc/group to "group", the users' homes and the
// directories: that hold them to "home", the directory /tmp to "tmp", the
// file /etc/nsswitch.conf to "nsswitch", os-release to "os-release", each
// if def.parts lists that part, and everything else to out.rest. Paths and
// symlink targets may use ${ARCH} (Debian name) and ${TRIPLET} (GNU triplet).
// With merged-usr:, files under /bin, /lib... are put under /usr; a
// directory or symlink there is an error naming the definition's line.
void plan_generated(const Definition& def, const std::string& arch, GeneratedFiles& out);

std::string expand_arch(const std::string& text, const std::string& arch);

}  // namespace distill
