#include "image/layer_root.h"

#include <map>
#include <memory>

#include "archive/tar_reader.h"
#include "elf/ldconfig.h"

namespace distill {

namespace {

constexpr uint64_t kMaxEtcFile = 1 << 20;  // ld.so.conf and its includes are small

using Bytes = std::shared_ptr<const std::string>;

bool keep_bytes(const TarEntry& e) {
  size_t slash = e.path.rfind('/');
  std::string name = slash == std::string::npos ? e.path : e.path.substr(slash + 1);
  return elf::is_library_name(name) || (e.path.rfind("etc/", 0) == 0 && e.size <= kMaxEtcFile);
}

elf::ReadAt reader_of(Bytes data) {
  return [data](uint64_t off, size_t len) -> std::string {
    if (off >= data->size()) return "";
    return data->substr(static_cast<size_t>(off), len);
  };
}

void add_layer(const oci::Layer& layer, size_t index, elf::RootTree& tree,
               std::map<std::string, std::pair<uint64_t, Bytes>>& files) {
  std::string name = "layer " + std::to_string(index + 1) + " (" + layer.descriptor().digest + ")";
  TarReader tar(layer.open_tar(), name);
  TarEntry e;
  while (tar.next(e)) {
    if (e.path.empty()) continue;
    switch (e.type) {
      case TarEntry::Type::kDirectory:
        tree.add_directory(e.path);
        break;
      case TarEntry::Type::kSymlink:
        tree.add_symlink(e.path, e.link);
        break;
      case TarEntry::Type::kFile: {
        Bytes data =
            keep_bytes(e) ? std::make_shared<const std::string>(tar.read_all_data()) : nullptr;
        files[e.path] = {e.size, data};
        tree.add_file(e.path, e.size, data ? reader_of(data) : elf::ReadAt());
        break;
      }
      case TarEntry::Type::kHardlink: {
        auto it = files.find(e.link);
        uint64_t size = it == files.end() ? 0 : it->second.first;
        Bytes data = it == files.end() ? nullptr : it->second.second;
        files[e.path] = {size, data};
        tree.add_file(e.path, size, data ? reader_of(data) : elf::ReadAt());
        break;
      }
      default:
        tree.add_other(e.path);
    }
  }
}

}  // namespace

elf::RootTree root_of_layers(const std::vector<BuiltLayer>& layers) {
  elf::RootTree tree;
  tree.add_directory("/");
  std::map<std::string, std::pair<uint64_t, Bytes>> files;  // for hardlinks
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].layer) add_layer(*layers[i].layer, i, tree, files);
  }
  return tree;
}

}  // namespace distill
