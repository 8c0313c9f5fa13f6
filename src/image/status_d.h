// The dpkg records scanners read to know what an image holds:
// var/lib/dpkg/status.d/<package> (the control file) and, when the package
// has one, <package>.md5sums. Every layer that carries a package's files
// (a package layer, the CA bundle, an extract: layer) writes them here.
#pragma once

#include <string>
#include <vector>

#include "archive/tar_writer.h"
#include "image/layer_plan.h"

namespace distill {

struct StatusFile {
  std::string path;  // relative: "var/lib/dpkg/status.d/libc6"
  std::string data;
};

// The records of one package, in the order they are written.
std::vector<StatusFile> status_files(const std::string& package, const std::string& control,
                                     const std::string& md5sums);

// Adds them to a plan (sorted layers: parents are implied), mode 0644 root.
void add_status_files(LayerPlan& plan, const std::string& package, const std::string& control,
                      const std::string& md5sums, const std::string& where);

// Appends them to a streamed layer with mtime `mtime`, after the parent
// directories not in `seen_dirs` (directories the layer already wrote).
void write_status_files(TarWriter& tar, const std::string& package, const std::string& control,
                        const std::string& md5sums, int64_t mtime,
                        const std::vector<std::string>& seen_dirs);

}  // namespace distill
