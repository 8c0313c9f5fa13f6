// Merged /usr, as Debian 13 lays it out: base-files itself ships the
// symlinks /bin -> usr/bin, /sbin -> usr/sbin, /lib -> usr/lib (and
// /lib64 -> usr/lib64 where the ABI has one), and every other package keeps
// its files under /usr. A layer that put a real directory at /lib would
// replace the symlink in the running container and break the loader path,
// so member paths under those names are moved into /usr and anything that
// would shadow a link is refused.
#pragma once

#include <string>

#include "archive/tar_entry.h"

namespace distill {

// What merged /usr does with one layer member.
enum class MergedUsrAction {
  kKeep,     // not under a merged name, or the merged-/usr symlink itself
  kRewrite,  // moved: bin/X -> usr/bin/X (hardlink targets too)
  kDrop,     // the directory entry bin/, lib/... itself: /usr/... already has it
};

// Applies the rewrite to `e` in place: member names bin/X, sbin/X, lib/X,
// lib32/X, lib64/X and libx32/X become usr/<name>/X; directory entries named
// exactly bin, sbin, ... are dropped; a symlink named exactly bin (etc.) is
// kept for check_merged_usr() to judge. Symlink targets are not changed:
// they resolve through the links at run time.
MergedUsrAction merge_usr(TarEntry& e);

// Throws Error "<where>: ..." if `e`, after merge_usr, still breaks merged
// /usr: a top-level bin, sbin, lib, lib32, lib64 or libx32 that is not a
// symlink to exactly usr/<name>, or anything under one of them. A leading
// "./" in the name is looked through.
void check_merged_usr(const TarEntry& e, const std::string& where);

// The target a top-level merged name must link to ("usr/bin" for "bin"), or
// "" if `path` is not one of them.
std::string merged_usr_target(const std::string& path);

}  // namespace distill
