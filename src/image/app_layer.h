// The app layers: a program's own files (a definition's app:, or
// `distill build --app PATH[:DEST]`), copied from the host into the image,
// one layer per item on top of everything else, so the layers below stay
// byte for byte the base image's and are shared between apps.
//
// The host tree is read as untrusted input: nothing is followed below the
// item's own path (a symlink is kept as a symlink, and only if it stays
// inside the item's directory), only files, directories and symlinks are
// taken, and every entry is normalised (sorted, the build's mtime, root or
// the item's owner, 0755/0644 by the host's x bit unless mode: says), so the
// layer depends on the tree's names and bytes only.
#pragma once

#include <string>

#include "image/definition.h"
#include "image/layer_plan.h"

namespace distill {

// Where an app item lands: `dest` as given; "/app/<last name of src>" when
// `dest` is empty; "<dest><last name of src>" when `dest` ends in '/'.
std::string app_dest(const std::string& src, const std::string& dest);

// Adds item `app` for `arch` (${ARCH} and ${TRIPLET} expanded in src and
// dest) to `plan`: a file as one file at dest; a directory as dest and
// everything under it. Each entry's origin is "WHERE (host path)", which
// --explain prints and errors start with. Throws Error "WHERE: ..." for a
// missing source, a fifo, socket or device, a symlink that is absolute or
// climbs out of the directory, a name that is not UTF-8, or a path the plan
// already has (another app item, or a file inside a file).
void plan_app_item(const AppSpec& app, const std::string& arch, LayerPlan& plan);

}  // namespace distill
