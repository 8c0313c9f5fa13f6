// Small real images for reader/writer tests: layers are deterministic tars
// written by write_layer_blob into a directory the test owns.
#pragma once

#include <dirent.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "archive/tar_reader.h"
#include "image/layer_blob.h"
#include "oci/image.h"
#include "util/fs.h"

namespace distill::testing {

using Files = std::map<std::string, std::string>;  // path -> content

inline BuiltLayer make_layer(const std::string& dir, const Files& files,
                             Compression c = Compression::kGzip) {
  LayerBlobOptions o;
  o.compression = c;
  return write_layer_blob(dir, o, "test layer", [&](TarWriter& tar) {
    for (const auto& [path, content] : files) {
      TarEntry e;
      e.path = path;
      e.mode = 0644;
      e.uname = "root";
      e.gname = "root";
      tar.add(e, content);
    }
  });
}

inline std::string config_for(const std::vector<oci::LayerPtr>& layers,
                              const std::string& arch = "amd64") {
  nlohmann::json c;
  c["architecture"] = arch;
  c["os"] = "linux";
  c["config"] = {{"Env", {"PATH=/bin"}}};
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& l : layers) ids.push_back(l->diff_id());
  c["rootfs"] = {{"type", "layers"}, {"diff_ids", ids}};
  return c.dump();
}

inline oci::ImagePtr make_image(const std::string& dir, const std::vector<Files>& layer_files,
                                Compression c = Compression::kGzip,
                                const std::string& arch = "amd64") {
  std::vector<oci::LayerPtr> layers;
  for (const auto& f : layer_files) layers.push_back(make_layer(dir, f, c).layer);
  std::string config = config_for(layers, arch);
  return std::make_shared<oci::MemoryImage>(oci::make_manifest(config, layers), config, layers);
}

// All regular files of a layer's tar, path -> content.
inline Files layer_contents(const oci::Layer& layer) {
  TarReader r(layer.open_tar(), "layer " + layer.descriptor().digest);
  Files out;
  TarEntry e;
  while (r.next(e)) {
    if (e.type == TarEntry::Type::kFile) out[e.path] = r.read_all_data();
  }
  return out;
}

// Names in `dir` (not recursive), sorted; for "no leftovers" checks.
inline std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (dirent* ent = ::readdir(d)) {
    std::string n = ent->d_name;
    if (n != "." && n != "..") out.push_back(n);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace distill::testing
