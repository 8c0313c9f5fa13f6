// How lists of definition items inherit: an item replaces the one with the
// same key, or is appended. Used by `from:` inheritance and by variants.
#pragma once

#include <algorithm>
#include <vector>

namespace distill {

// Each of `over` replaces the item of `base` with the same key(), or is
// appended. An empty `base` takes `over` as it is, duplicates included, so
// the build still rejects a path one file gives twice (the family rules are
// the parent of every root definition and declare no such lists).
template <typename T, typename Key>
void merge_by(std::vector<T>& base, const std::vector<T>& over, Key key) {
  if (base.empty()) {
    base = over;
    return;
  }
  for (const auto& item : over) {
    auto it =
        std::find_if(base.begin(), base.end(), [&](const T& b) { return key(b) == key(item); });
    if (it != base.end()) {
      *it = item;
    } else {
      base.push_back(item);
    }
  }
}

}  // namespace distill
