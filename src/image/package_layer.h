// One layer per Debian package: the package's data.tar streamed entry by
// entry into the layer tar (no extraction), then the dpkg records scanners
// read: var/lib/dpkg/status.d/<pkg> (the control file) and <pkg>.md5sums.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "archive/size_limits.h"
#include "image/layer_blob.h"

namespace distill {

struct PackageLayerOptions {
  std::vector<std::string> exclude_paths;  // globs matched against "/path"
  std::vector<std::string> allow_setuid;   // globs of "/path" that may be setuid/setgid
  int64_t status_mtime = 0;                // mtime of the status.d entries
  std::string label;                       // "package NAME VERSION" in errors; default the path
  SizeLimits limits;                       // file and layer caps (image is not used)
  // Extra symlinks (path, target) written after the package's data.
  std::vector<std::pair<std::string, std::string>> symlinks;
};

// Streams `deb` into a layer blob in `dir`. Hostile members (escaping
// paths or symlinks, members under a symlink or file, one path with two
// types, hardlinks to unseen files, device nodes, setuid files not allowed,
// sizes over the limits) are rejected naming the package and the member.
// The layer's paths and types are returned in BuiltLayer::paths.
BuiltLayer write_package_layer(const std::string& dir, const LayerBlobOptions& blob,
                               const std::string& deb, const PackageLayerOptions& opts);

// True if "/"+path matches one of the globs ("*" spans "/", as in apko).
bool path_excluded(const std::string& path, const std::vector<std::string>& globs);

// The package name from a control file ("Package:" field).
std::string control_package_name(const std::string& control, const std::string& where);

}  // namespace distill
