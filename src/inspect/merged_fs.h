// The image's root filesystem as a container sees it: layers applied in
// order, whiteouts (.wh.NAME) and opaque directories (.wh..wh..opq) removing
// what lower layers wrote, parents implied where a layer omitted them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "inspect/file_info.h"
#include "inspect/layer_scan.h"

namespace distill::inspect {

// What applying one layer did to the merged view.
struct LayerEffect {
  uint64_t added = 0;           // paths that did not exist below
  uint64_t replaced = 0;        // non-directories that replaced a lower layer's entry
  uint64_t replaced_bytes = 0;  // bytes of the lower-layer files it hid
  uint64_t removed = 0;         // lower-layer paths removed by whiteouts
  uint64_t removed_bytes = 0;
};

class MergedFs {
 public:
  // Layers must be applied in order, lowest first. Captured contents move in.
  LayerEffect apply(LayerScan& scan);

  const FileInfo* find(const std::string& path) const;
  // The path `path` names after following symlinks the way a process in the
  // container would (absolute targets are relative to the image root, ".."
  // stops at the root). nullopt when a component is missing or links loop.
  std::optional<std::string> resolve(const std::string& path, bool follow_last = true) const;
  // Captured content of the file `path` resolves to, if the scanner kept it
  // and no later layer replaced the file.
  const std::string* content(const std::string& path) const;

  const std::map<std::string, FileInfo>& files() const { return files_; }
  // Entries strictly below `dir` ("" = everything), in path order.
  void for_each_below(const std::string& dir, const std::function<void(const FileInfo&)>& fn) const;

 private:
  void erase_below(const std::string& dir, int before_layer, LayerEffect* effect);
  void ensure_parents(const std::string& path, int layer);

  std::map<std::string, FileInfo> files_;
  struct Captured {
    int layer;
    std::string data;
  };
  std::map<std::string, Captured> captures_;
};

}  // namespace distill::inspect
