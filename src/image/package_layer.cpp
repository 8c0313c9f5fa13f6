#include "image/package_layer.h"

#include <fnmatch.h>

#include <set>

#include "archive/tar_reader.h"
#include "debian/deb_file.h"
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

void add_status_records(TarWriter& tar, const std::string& package, const std::string& control,
                        const std::string& md5sums, int64_t mtime,
                        const std::vector<std::string>& seen_dirs) {
  std::set<std::string> seen(seen_dirs.begin(), seen_dirs.end());
  TarEntry dir;
  dir.type = TarEntry::Type::kDirectory;
  dir.mode = 0755;
  dir.uname = dir.gname = "root";
  dir.mtime = mtime;
  for (const char* d : {"var", "var/lib", "var/lib/dpkg", "var/lib/dpkg/status.d"}) {
    if (seen.count(d)) continue;
    dir.path = d;
    tar.add(dir);
  }
  TarEntry f;
  f.type = TarEntry::Type::kFile;
  f.mode = 0644;
  f.uname = f.gname = "root";
  f.mtime = mtime;
  f.path = "var/lib/dpkg/status.d/" + package;
  tar.add(f, control);
  if (!md5sums.empty()) {
    f.path += ".md5sums";
    tar.add(f, md5sums);
  }
}

BuiltLayer write_package_layer(const std::string& dir, const LayerBlobOptions& blob,
                               const std::string& deb_path, const PackageLayerOptions& opts) {
  debian::DebFile deb(deb_path);
  std::string package = control_package_name(deb.control(), deb_path);
  return write_layer_blob(dir, blob, [&](TarWriter& tar) {
    TarReader reader(deb.open_data(), deb_path + " (" + deb.data_member() + ")");
    std::set<std::string> seen;
    std::set<std::string> symlinks;
    std::vector<std::string> dirs;
    TarEntry e;
    while (reader.next(e)) {
      if (e.path.empty()) continue;  // the "./" root entry: the image root is not ours
      // A member under an earlier symlink would be written through it by a
      // naive extractor, possibly outside the root.
      for (size_t slash = e.path.find('/'); slash != std::string::npos;
           slash = e.path.find('/', slash + 1)) {
        if (symlinks.count(e.path.substr(0, slash))) {
          throw Error(deb_path + ": member " + reader.raw_path() + " lies under the symlink /" +
                      e.path.substr(0, slash));
        }
      }
      if (e.type == TarEntry::Type::kSymlink) symlinks.insert(e.path);
      if (path_excluded(e.path, opts.exclude_paths)) continue;
      // Duplicate members: the first wins, as with dpkg's own unpacking order.
      if (!seen.insert(e.path).second) continue;
      switch (e.type) {
        case TarEntry::Type::kCharDevice:
        case TarEntry::Type::kBlockDevice:
        case TarEntry::Type::kFifo:
          throw Error(deb_path + ": member " + reader.raw_path() + " is a " + type_name(e.type) +
                      "; device nodes are not allowed in image layers");
        case TarEntry::Type::kHardlink:
          if (!seen.count(e.link)) {
            throw Error(deb_path + ": hardlink " + reader.raw_path() + " points to " + e.link +
                        ", which is not an earlier member");
          }
          break;
        case TarEntry::Type::kDirectory:
          dirs.push_back(e.path);
          break;
        default:
          break;
      }
      if (e.type == TarEntry::Type::kFile) {
        tar.add(e, &reader.data());
      } else {
        tar.add(e);
      }
    }
    add_status_records(tar, package, deb.control(), deb.md5sums(), opts.status_mtime, dirs);
  });
}

}  // namespace distill
