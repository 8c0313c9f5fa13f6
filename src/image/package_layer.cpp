#include "image/package_layer.h"

#include <fnmatch.h>

#include <cstdio>
#include <map>
#include <set>

#include "archive/tar_reader.h"
#include "debian/deb_file.h"
#include "image/merged_usr.h"
#include "image/status_d.h"
#include "util/error.h"

namespace distill {

bool path_excluded(const std::string& path, const std::vector<std::string>& globs) {
  std::string abs = "/" + path;
  for (const auto& g : globs) {
    if (::fnmatch(g.c_str(), abs.c_str(), 0) == 0) return true;
  }
  return false;
}

std::string control_package_name(const std::string& control, const std::string& where) {
  size_t pos = 0;
  while (pos < control.size()) {
    size_t end = control.find('\n', pos);
    if (end == std::string::npos) end = control.size();
    std::string line = control.substr(pos, end - pos);
    if (line.rfind("Package:", 0) == 0) {
      std::string name = line.substr(8);
      name.erase(0, name.find_first_not_of(" \t"));
      name.erase(name.find_last_not_of(" \t\r") + 1);
      if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') break;
      return name;
    }
    pos = end + 1;
  }
  throw Error(where + ": control file has no valid Package field");
}

namespace {

// Hardlinks are files for type comparisons: both end up as regular files.
TarEntry::Type kind_of(TarEntry::Type t) {
  return t == TarEntry::Type::kHardlink ? TarEntry::Type::kFile : t;
}

std::string octal(uint32_t mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", mode);
  return buf;
}

// Everything hostile in a package's data.tar that can be seen member by
// member. `kinds` holds every earlier member (excluded ones too).
void check_member(const TarEntry& e, const std::string& raw, const std::string& where,
                  const std::map<std::string, TarEntry::Type>& kinds) {
  std::string member = escape_name(raw);
  // dpkg-deb writes "./path"; an absolute name only comes from a crafted
  // archive aimed at extractors that honour it.
  if (!raw.empty() && raw[0] == '/')
    throw Error(where + ": member " + member + " has an absolute path");
  // A member under an earlier symlink or file would be written through it
  // by a naive extractor, possibly outside the root.
  for (size_t slash = e.path.find('/'); slash != std::string::npos;
       slash = e.path.find('/', slash + 1)) {
    auto it = kinds.find(e.path.substr(0, slash));
    if (it == kinds.end() || it->second == TarEntry::Type::kDirectory) continue;
    throw Error(where + ": member " + member + " lies under the " + type_name(it->second) + " /" +
                it->first);
  }
  auto it = kinds.find(e.path);
  if (it != kinds.end() && it->second != kind_of(e.type)) {
    throw Error(where + ": member " + member + " is a " + type_name(kind_of(e.type)) +
                " but an earlier member with the same path is a " + type_name(it->second));
  }
  if (e.type == TarEntry::Type::kSymlink && !e.link.empty() && e.link[0] != '/' &&
      !symlink_stays_inside(e.path, e.link)) {
    throw Error(where + ": symlink " + member + " points to " + escape_name(e.link) +
                ", which climbs out of the image root");
  }
}

// What the layer has written so far, as the member checks need it.
struct LayerState {
  std::map<std::string, TarEntry::Type> kinds;  // every member seen (excluded ones too)
  std::set<std::string> written;                // paths in the layer
  std::vector<std::string> dirs;                // directories in the layer, for status.d
  std::vector<std::pair<std::string, TarEntry::Type>> paths;  // BuiltLayer::paths

  // Writes a directory the data.tar does not have (a parent it needs).
  void add_directory(TarWriter& tar, const TarEntry& e) {
    tar.add(e);
    dirs.push_back(e.path);
    paths.emplace_back(e.path, TarEntry::Type::kDirectory);
  }
};

// The definition's symlinks for this package's layer (the reference puts
// /usr/bin/java in the JRE's layer), with missing parents as 0755 dirs.
void add_extra_symlinks(TarWriter& tar, const PackageLayerOptions& opts, const std::string& where,
                        LayerState& st) {
  for (const auto& [link, target] : opts.symlinks) {
    std::string rel = normalize_member_path(link);
    if (st.kinds.count(rel)) throw Error(where + ": symlink " + link + " is also in the package");
    TarEntry e;
    e.type = TarEntry::Type::kDirectory;
    e.mode = 0755;
    e.uname = e.gname = "root";
    e.mtime = opts.status_mtime;
    for (size_t slash = rel.find('/'); slash != std::string::npos;
         slash = rel.find('/', slash + 1)) {
      e.path = rel.substr(0, slash);
      auto k = st.kinds.find(e.path);
      if (k != st.kinds.end() && k->second != TarEntry::Type::kDirectory) {
        throw Error(where + ": symlink " + link + " lies under the " + type_name(k->second) + " /" +
                    e.path);
      }
      if (!st.written.insert(e.path).second) continue;
      st.add_directory(tar, e);
    }
    e.type = TarEntry::Type::kSymlink;
    e.mode = 0777;
    e.path = rel;
    e.link = target;
    if (!st.written.insert(rel).second) throw Error(where + ": symlink " + link + " given twice");
    tar.add(e);
    st.paths.emplace_back(rel, TarEntry::Type::kSymlink);
  }
}

// Merged /usr moved `e` from lib/X to usr/lib/X, and the data.tar's own
// lib/ entry was dropped, so usr/ and usr/lib/ may not be in the layer yet:
// they are written first, as rules_pkg auto-creates parents (0755, the
// owner and mtime of the entry that needs them).
void add_moved_parents(TarWriter& tar, const TarEntry& moved, LayerState& st) {
  TarEntry d;
  d.type = TarEntry::Type::kDirectory;
  d.mode = 0755;
  d.uid = moved.uid;
  d.gid = moved.gid;
  d.uname = moved.uname;
  d.gname = moved.gname;
  d.mtime = moved.mtime;
  for (size_t slash = moved.path.find('/'); slash != std::string::npos;
       slash = moved.path.find('/', slash + 1)) {
    d.path = moved.path.substr(0, slash);
    if (!st.written.insert(d.path).second) continue;
    // Later members see it as the directory it is (a usr symlink would clash).
    st.kinds.emplace(d.path, TarEntry::Type::kDirectory);
    st.add_directory(tar, d);
  }
}

// Refuses what may not be written as it is (devices, hardlinks to nothing
// earlier, setuid files allow-setuid: does not name).
void check_writable(const TarEntry& e, const std::string& member, const std::string& where,
                    const PackageLayerOptions& opts, const LayerState& st) {
  switch (e.type) {
    case TarEntry::Type::kCharDevice:
    case TarEntry::Type::kBlockDevice:
    case TarEntry::Type::kFifo:
      throw Error(where + ": member " + member + " is a " + type_name(e.type) +
                  "; device nodes are not allowed in image layers");
    case TarEntry::Type::kHardlink:
      if (!st.written.count(e.link)) {
        throw Error(where + ": hardlink " + member + " points to " + escape_name(e.link) +
                    ", which is not an earlier member");
      }
      break;
    default:
      break;
  }
  // setgid directories (e.g. /var/local) only pass on a group; setuid
  // and setgid files run with their owner's rights, so each one must be
  // wanted.
  bool file = e.type == TarEntry::Type::kFile || e.type == TarEntry::Type::kHardlink;
  if (file && (e.mode & 06000) && !path_excluded(e.path, opts.allow_setuid)) {
    throw Error(where + ": member " + member + " is " + ((e.mode & 04000) ? "setuid" : "setgid") +
                " (mode " + octal(e.mode) + "); allow it with allow-setuid: [/" +
                escape_name(e.path) + "] in the definition");
  }
}

// The package's data.tar, member by member, into `tar`.
void copy_members(TarWriter& tar, TarReader& reader, bool merged_usr, const std::string& where,
                  const PackageLayerOptions& opts, LayerState& st) {
  TarEntry e;
  while (reader.next(e)) {
    if (e.path.empty()) continue;  // the "./" root entry: the image root is not ours
    // Merged /usr renames before anything looks at the member, as the
    // reference re-writes the data.tar before packing it (image/merged_usr.h).
    MergedUsrAction merged = merged_usr ? merge_usr(e) : MergedUsrAction::kKeep;
    if (merged == MergedUsrAction::kDrop) continue;
    std::string member = escape_name(reader.raw_path());
    check_member(e, reader.raw_path(), where, st.kinds);
    st.kinds.emplace(e.path, kind_of(e.type));
    if (path_excluded(e.path, opts.exclude_paths)) continue;
    // Duplicate members of one type: the first wins, as with dpkg's own
    // unpacking order.
    if (!st.written.insert(e.path).second) continue;
    check_writable(e, member, where, opts, st);
    if (merged == MergedUsrAction::kRewrite) add_moved_parents(tar, e, st);
    if (e.type == TarEntry::Type::kDirectory) st.dirs.push_back(e.path);
    st.paths.emplace_back(e.path, kind_of(e.type));
    if (e.type == TarEntry::Type::kFile) {
      tar.add(e, &reader.data());
    } else {
      tar.add(e);
    }
  }
}

}  // namespace

BuiltLayer write_package_layer(const std::string& dir, const LayerBlobOptions& blob,
                               const std::string& deb_path, const PackageLayerOptions& opts) {
  const std::string where = opts.label.empty() ? deb_path : opts.label;
  LayerState st;
  BuiltLayer built;
  try {
    debian::DebFile deb(deb_path);
    std::string package = control_package_name(deb.control(), deb_path);
    built = write_layer_blob(dir, blob, where, [&](TarWriter& tar) {
      TarReader reader(deb.open_data(), where + " (" + deb.data_member() + ")");
      reader.set_limits(opts.limits.file, opts.limits.layer);
      copy_members(tar, reader, blob.merged_usr, where, opts, st);
      add_extra_symlinks(tar, opts, where, st);
      // The control files stay as the .deb has them (md5sums name the
      // unmoved paths), as the reference keeps them under merged /usr.
      write_status_files(tar, package, deb.control(), deb.md5sums(), opts.status_mtime, st.dirs);
    });
  } catch (const Error& err) {
    // DebFile names the file (a cache path); the package name says more.
    std::string msg = err.what();
    if (where != deb_path && msg.starts_with(deb_path)) {
      throw Error(where + msg.substr(deb_path.size()));
    }
    throw;
  }
  built.paths = std::move(st.paths);
  return built;
}

}  // namespace distill
