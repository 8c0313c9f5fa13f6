#include "image/merged_usr.h"

#include "util/error.h"

namespace distill {

namespace {

constexpr const char* kMergedNames[] = {"bin", "sbin", "lib", "lib32", "lib64", "libx32"};

// The merged name `path` lies under ("lib" for "lib/x/y"), or "" if none.
std::string merged_root_of(const std::string& path) {
  for (const char* name : kMergedNames) {
    std::string n = name;
    if (path.size() > n.size() && path.compare(0, n.size(), n) == 0 && path[n.size()] == '/') {
      return n;
    }
  }
  return "";
}

}  // namespace

std::string merged_usr_target(const std::string& path) {
  for (const char* name : kMergedNames) {
    if (path == name) return std::string("usr/") + name;
  }
  return "";
}

MergedUsrAction merge_usr(TarEntry& e) {
  if (!merged_usr_target(e.path).empty()) {
    return e.type == TarEntry::Type::kDirectory ? MergedUsrAction::kDrop : MergedUsrAction::kKeep;
  }
  bool moved = false;
  if (!merged_root_of(e.path).empty()) {
    e.path = "usr/" + e.path;
    moved = true;
  }
  // A hardlink names another member, which was moved the same way.
  if (e.type == TarEntry::Type::kHardlink && !merged_root_of(e.link).empty()) {
    e.link = "usr/" + e.link;
    moved = true;
  }
  return moved ? MergedUsrAction::kRewrite : MergedUsrAction::kKeep;
}

void check_merged_usr(const TarEntry& e, const std::string& where) {
  if (e.path.compare(0, 2, "./") == 0) {  // the reference's "./etc" names a layer's etc
    TarEntry bare = e;
    bare.path = e.path.substr(2);
    check_merged_usr(bare, where);
    return;
  }
  std::string target = merged_usr_target(e.path);
  if (!target.empty()) {
    if (e.type != TarEntry::Type::kSymlink) {
      throw Error(where + ": /" + e.path + " is a " + type_name(e.type) +
                  ", but in a merged-/usr image it must stay the symlink /" + e.path + " -> " +
                  target + "; put the content under /" + target + " instead");
    }
    if (e.link != target) {
      throw Error(where + ": symlink /" + e.path + " points to " + escape_name(e.link) +
                  ", but merged /usr needs exactly " + target);
    }
    return;
  }
  std::string root = merged_root_of(e.path);
  if (!root.empty()) {
    throw Error(where + ": /" + escape_name(e.path) + " lies under the merged-/usr symlink /" +
                root + "; use /usr/" + escape_name(e.path) + " instead");
  }
}

}  // namespace distill
