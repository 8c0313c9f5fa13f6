// A streaming reader of Debian binary packages (.deb): an ar container with
// debian-binary, control.tar.* and data.tar.* in that order. The control
// files are read eagerly; the data member is streamed without temp files.
// Garbled or hostile packages (wrong order, missing or extra members, absurd
// or truncated sizes) are rejected with an Error naming the file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "util/io.h"

namespace distill::debian {

class DebFile {
 public:
  explicit DebFile(const std::string& path);
  const std::string& path() const { return path_; }
  const std::string& control() const { return control_; }  // control.tar.*/control
  const std::string& md5sums() const { return md5sums_; }  // "" if absent
  // "data.tar.xz", "data.tar.zst", ... as named in the container.
  const std::string& data_member() const { return data_member_; }
  uint64_t data_size() const { return data_size_; }
  // The data.tar.* member, still compressed (libarchive detects the filter),
  // except a large data.tar.xz, which comes decoded on every core
  // (archive/xz_source.h). Each call opens the file again; the source owns
  // its libarchive handle.
  std::unique_ptr<ByteSource> open_data() const;

 private:
  std::string path_;
  std::string control_;
  std::string md5sums_;
  std::string data_member_;
  uint64_t data_size_ = 0;
};

// How many .deb files this process has opened (DebFile objects made), for
// `build --json` and -v: a rebuild served by the layer cache opens none.
uint64_t debs_opened();

}  // namespace distill::debian
