#include "app/package_map.h"

#include <fcntl.h>

#include "archive/tar_reader.h"
#include "debian/deb_file.h"
#include "elf/elf_reader.h"
#include "util/error.h"
#include "util/handles.h"
#include "util/read_at.h"

namespace distill::app {

namespace {

elf::ReadAt memory_reader(std::shared_ptr<const std::string> data) {
  return [data](uint64_t off, size_t len) -> std::string {
    if (off >= data->size()) return {};
    return data->substr(off, len);
  };
}

// `abs` with its parent directory's links resolved: where the entry is in
// the tree (a package's /lib/x is /usr/lib/x under a merged-/usr /lib link).
std::string placed_at(const elf::RootTree& tree, const std::string& abs) {
  size_t slash = abs.rfind('/');
  auto dir = tree.resolve(abs.substr(0, slash));
  if (!dir) return abs;
  return (*dir == "/" ? "" : *dir) + abs.substr(slash);
}

}  // namespace

void PackageRoot::add_deb(const std::string& package, const std::string& deb_path) {
  if (!packages_.insert(package).second) return;
  debian::DebFile deb(deb_path);
  TarReader tar(deb.open_data(), deb_path);
  TarEntry e;
  while (tar.next(e)) {
    if (e.path.empty()) continue;
    std::string abs = "/" + e.path;
    switch (e.type) {
      case TarEntry::Type::kDirectory:
        tree_.add_directory(abs);
        break;
      case TarEntry::Type::kSymlink:
        tree_.add_symlink(abs, e.link);
        owner_[placed_at(tree_, abs)] = package;
        break;
      case TarEntry::Type::kHardlink:
        tree_.add_symlink(abs, "/" + e.link);
        owner_[placed_at(tree_, abs)] = package;
        break;
      case TarEntry::Type::kFile: {
        std::string head(4, '\0');
        size_t got = tar.read(head.data(), head.size());
        head.resize(got);
        auto data = std::make_shared<std::string>();
        if (elf::has_elf_magic(head)) *data = head + tar.read_all_data();
        tree_.add_file(abs, e.size, memory_reader(data));
        owner_[placed_at(tree_, abs)] = package;
        break;
      }
      default:
        tree_.add_other(abs);
    }
  }
}

void PackageRoot::add_host_file(const std::string& host_path, const std::string& image_path) {
  auto fd = std::make_shared<Fd>(::open(host_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!*fd) throw_errno("cannot open", host_path);
  tree_.add_file(image_path, 0, [fd, host_path](uint64_t off, size_t len) {
    return read_at(fd->get(), off, len, host_path);
  });
}

void PackageRoot::add_content(const std::string& image_path, std::string content) {
  auto data = std::make_shared<std::string>(std::move(content));
  tree_.add_file(image_path, data->size(), memory_reader(data));
}

std::string PackageRoot::owner(const std::string& path) const {
  auto it = owner_.find(path);
  return it == owner_.end() ? "" : it->second;
}

}  // namespace distill::app
