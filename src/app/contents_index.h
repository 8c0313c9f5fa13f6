// The release's Contents-<arch> indices, reduced to what soname lookups need:
// shared-object file names ("lib*.so*", "ld-*.so*") -> (path, package). The
// index is keyed by file name across all paths, because a library may live
// in a subdirectory or behind an alternatives link a postinst makes.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "debian/archive.h"

namespace distill::app {

class ContentsIndex {
 public:
  // Adds one decompressed Contents text ("path  section/pkg,section/pkg"
  // per line; paths without a leading slash). Lines that are not shared
  // objects are skipped; malformed lines too (Contents has no strict form).
  void add(std::string_view text);
  // Every (absolute path, package) whose file name is `name`, in index order.
  std::vector<std::pair<std::string, std::string>> find(const std::string& name) const;
  size_t size() const { return size_; }

 private:
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_name_;
  size_t size_ = 0;
};

struct LoadedContents {
  ContentsIndex index;
  // Suites (repo + suite + component) that publish no or an empty Contents:
  // a soname new there is only found in its .debs' file lists.
  std::vector<debian::PackageOrigin> without_contents;
};

// Fetches (verified, cached) and parses every Contents-<arch> of `archive`.
LoadedContents load_contents(debian::Archive& archive, const std::string& arch);

}  // namespace distill::app
