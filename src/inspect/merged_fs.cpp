#include "inspect/merged_fs.h"

#include <deque>

namespace distill::inspect {

namespace {

using Type = TarEntry::Type;

std::deque<std::string> components(const std::string& path) {
  std::deque<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

const FileInfo* MergedFs::find(const std::string& path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

void MergedFs::for_each_below(const std::string& dir,
                              const std::function<void(const FileInfo&)>& fn) const {
  std::string prefix = dir.empty() ? "" : dir + "/";
  for (auto it = files_.lower_bound(prefix); it != files_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (it->first.empty()) continue;
    fn(it->second);
  }
}

void MergedFs::erase_below(const std::string& dir, int before_layer, LayerEffect* effect) {
  // Children of "a/b" sort contiguously from "a/b/" ('/' sorts before
  // every other character that can follow "a/b/" in a child's name).
  std::string prefix = dir.empty() ? "" : dir + "/";
  for (auto it = files_.lower_bound(prefix); it != files_.end();) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (it->first.empty() || it->second.layer >= before_layer) {
      ++it;
      continue;
    }
    if (effect) {
      ++effect->removed;
      effect->removed_bytes += it->second.size;
    }
    it = files_.erase(it);
  }
}

void MergedFs::ensure_parents(const std::string& path, int layer) {
  size_t slash = path.rfind('/');
  while (slash != std::string::npos) {
    std::string parent = path.substr(0, slash);
    if (files_.count(parent)) return;
    FileInfo d;
    d.path = parent;
    d.type = Type::kDirectory;
    d.mode = 0755;
    d.layer = layer;
    d.implied = true;
    files_.emplace(parent, std::move(d));
    slash = parent.rfind('/');
  }
}

LayerEffect MergedFs::apply(LayerScan& scan) {
  LayerEffect effect;
  const int layer = scan.index;
  for (auto& f : scan.files) {
    if (f.whiteout == FileInfo::Whiteout::kFile) {
      auto it = files_.find(f.path);
      if (it != files_.end() && it->second.layer < layer) {
        ++effect.removed;
        effect.removed_bytes += it->second.size;
        bool dir = it->second.type == Type::kDirectory;
        files_.erase(it);
        if (dir) erase_below(f.path, layer, &effect);
      }
      continue;
    }
    if (f.whiteout == FileInfo::Whiteout::kOpaque) {
      erase_below(f.path, layer, &effect);
      continue;
    }
    auto it = files_.find(f.path);
    if (it == files_.end()) {
      ++effect.added;
      ensure_parents(f.path, layer);
      std::string key = f.path;
      files_.emplace(std::move(key), std::move(f));
      continue;
    }
    FileInfo& old = it->second;
    if (old.type != Type::kDirectory || f.type != Type::kDirectory) {
      if (old.layer < layer) {
        ++effect.replaced;
        effect.replaced_bytes += old.size;
      }
      // A non-directory replacing a directory hides everything below it.
      if (old.type == Type::kDirectory) erase_below(f.path, layer + 1, &effect);
    }
    old = std::move(f);
  }
  for (auto& [path, data] : scan.captures) captures_[path] = Captured{layer, std::move(data)};
  scan.files.clear();
  scan.captures.clear();
  return effect;
}

std::optional<std::string> MergedFs::resolve(const std::string& path, bool follow_last) const {
  std::deque<std::string> todo = components(path);
  std::vector<std::string> cur;
  int hops = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c == ".") continue;
    if (c == "..") {
      if (!cur.empty()) cur.pop_back();
      continue;
    }
    std::string candidate;
    for (const auto& p : cur) candidate += p + "/";
    candidate += c;
    const FileInfo* f = find(candidate);
    if (!f) return std::nullopt;
    bool last = todo.empty();
    if (f->type == Type::kSymlink && (!last || follow_last)) {
      if (++hops > 40) return std::nullopt;
      std::deque<std::string> target = components(f->link);
      if (!f->link.empty() && f->link[0] == '/') cur.clear();
      for (auto rit = target.rbegin(); rit != target.rend(); ++rit) todo.push_front(*rit);
      continue;
    }
    if (!last && f->type != Type::kDirectory) return std::nullopt;
    cur.push_back(std::move(c));
  }
  std::string out;
  for (const auto& p : cur) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

const std::string* MergedFs::content(const std::string& path) const {
  auto real = resolve(path);
  if (!real) return nullptr;
  const FileInfo* f = find(*real);
  if (f && f->type == Type::kHardlink) {
    std::string target = f->link;
    f = find(target);
    if (f) real = target;
  }
  if (!f || f->type != Type::kFile) return nullptr;
  auto it = captures_.find(*real);
  if (it == captures_.end() || it->second.layer != f->layer) return nullptr;
  return &it->second.data;
}

}  // namespace distill::inspect
