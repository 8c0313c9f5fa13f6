// One layer per Debian package: the package's data.tar streamed entry by
// entry into the layer tar (no extraction), then the dpkg records scanners
// read: var/lib/dpkg/status.d/<pkg> (the control file) and <pkg>.md5sums.
#pragma once

#include <string>
#include <vector>

#include "image/layer_blob.h"

namespace distill {

struct PackageLayerOptions {
  std::vector<std::string> exclude_paths;  // globs matched against "/path"
  int64_t status_mtime = 0;                // mtime of the status.d entries
};

// Streams `deb` into a layer blob in `dir`. Hostile members (escaping
// paths, hardlinks to unseen files, device nodes) are rejected naming the
// .deb and the member.
BuiltLayer write_package_layer(const std::string& dir, const LayerBlobOptions& blob,
                               const std::string& deb, const PackageLayerOptions& opts);

// Adds the status.d records for a package (and their parent directories
// unless `seen` already holds them) to `tar`.
void add_status_records(TarWriter& tar, const std::string& package, const std::string& control,
                        const std::string& md5sums, int64_t mtime,
                        const std::vector<std::string>& seen_dirs);

// True if "/"+path matches one of the globs ("*" spans "/", as in apko).
bool path_excluded(const std::string& path, const std::vector<std::string>& globs);

// The package name from a control file ("Package:" field).
std::string control_package_name(const std::string& control, const std::string& where);

}  // namespace distill
