// A virtual root made of Debian packages' files and an app's host files,
// with the package that owns each path: the tree elf_closure walks, and the
// map from the closure's files back to the packages an image needs.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "elf/root_tree.h"

namespace distill::app {

class PackageRoot {
 public:
  // Adds the data.tar members of the .deb at `deb_path` as package
  // `package`'s files. ELF files' bytes are kept in memory (the closure
  // reads their dynamic and version sections); other files are listed only.
  // Adding a package twice does nothing. Throws distill::Error on a
  // malformed package.
  void add_deb(const std::string& package, const std::string& deb_path);
  // An app file, read from the host when the closure reads it.
  void add_host_file(const std::string& host_path, const std::string& image_path);
  // A file with inline content (a definition's generated files).
  void add_content(const std::string& image_path, std::string content);

  const elf::RootTree& tree() const { return tree_; }
  // The package whose data.tar holds `path` (canonical, absolute), or "".
  std::string owner(const std::string& path) const;
  bool has_package(const std::string& package) const { return packages_.count(package) > 0; }

 private:
  elf::RootTree tree_;
  std::map<std::string, std::string> owner_;
  std::set<std::string> packages_;
};

}  // namespace distill::app
