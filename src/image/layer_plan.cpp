#include "image/layer_plan.h"

#include <sys/stat.h>

#include <set>

#include "util/error.h"
#include "util/io.h"

namespace distill {

namespace {

// Sorting by components keeps "a/b" right after "a" (plain string order
// would put "a-b" between them), so parents always precede children.
struct ComponentLess {
  bool operator()(const std::string& a, const std::string& b) const {
    size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      if (a[i] == b[i]) continue;
      if (a[i] == '/') return true;
      if (b[i] == '/') return false;
      return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
    }
    return a.size() < b.size();
  }
};

}  // namespace

void LayerPlan::add(const std::string& path, Item item) {
  std::string norm;
  try {
    norm = normalize_member_path(path);
  } catch (const Error& e) {
    throw Error(item.where + ": " + e.what());
  }
  if (norm.empty()) throw Error(item.where + ": '" + path + "' names the image root");
  item.entry.path = norm;
  auto [it, inserted] = items_.emplace(norm, item);
  if (!inserted) {
    throw Error(item.where + ": duplicate path " + path + " (also defined at " + it->second.where +
                ")");
  }
  // A parent that exists must be a directory (or the build would write a
  // file and then try to put children under it).
  for (size_t slash = norm.rfind('/'); slash != std::string::npos && slash > 0;
       slash = norm.rfind('/', slash - 1)) {
    auto p = items_.find(norm.substr(0, slash));
    if (p != items_.end() && p->second.entry.type != TarEntry::Type::kDirectory) {
      items_.erase(norm);
      throw Error(item.where + ": " + path + " is inside /" + p->first + ", which is a " +
                  type_name(p->second.entry.type) + " (" + p->second.where + ")");
    }
  }
  if (item.entry.type != TarEntry::Type::kDirectory) {
    auto child = items_.lower_bound(norm + "/");
    if (child != items_.end() && child->first.compare(0, norm.size() + 1, norm + "/") == 0) {
      std::string other = child->second.where;
      items_.erase(norm);
      throw Error(item.where + ": " + path + " would be a " + type_name(item.entry.type) +
                  " but /" + child->first + " (" + other + ") is inside it");
    }
  }
}

void LayerPlan::add_file(const std::string& path, std::string data, uint32_t mode, uint32_t uid,
                         uint32_t gid, const std::string& where) {
  Item it;
  it.entry.type = TarEntry::Type::kFile;
  it.entry.mode = mode;
  it.entry.uid = uid;
  it.entry.gid = gid;
  it.entry.size = data.size();
  it.data = std::move(data);
  it.where = where;
  add(path, std::move(it));
}

std::vector<std::pair<std::string, std::string>> LayerPlan::host_files() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [path, item] : items_)
    if (item.src) out.emplace_back("/" + path, *item.src);
  return out;
}

void LayerPlan::add_host_file(const std::string& path, const std::string& src, uint32_t mode,
                              uint32_t uid, uint32_t gid, const std::string& where) {
  struct stat st;
  if (::stat(src.c_str(), &st) != 0) throw Error(where + ": source file " + src + " not found");
  if (!S_ISREG(st.st_mode)) throw Error(where + ": source " + src + " is not a regular file");
  Item it;
  it.entry.type = TarEntry::Type::kFile;
  it.entry.mode = mode;
  it.entry.uid = uid;
  it.entry.gid = gid;
  it.entry.size = static_cast<uint64_t>(st.st_size);
  it.src = src;
  it.where = where;
  add(path, std::move(it));
}

void LayerPlan::add_directory(const std::string& path, uint32_t mode, uint32_t uid, uint32_t gid,
                              const std::string& where) {
  Item it;
  it.entry.type = TarEntry::Type::kDirectory;
  it.entry.mode = mode;
  it.entry.uid = uid;
  it.entry.gid = gid;
  it.where = where;
  add(path, std::move(it));
}

void LayerPlan::add_symlink(const std::string& path, const std::string& target, uint32_t uid,
                            uint32_t gid, const std::string& where) {
  Item it;
  it.entry.type = TarEntry::Type::kSymlink;
  it.entry.mode = 0777;
  it.entry.uid = uid;
  it.entry.gid = gid;
  it.entry.link = target;
  it.where = where;
  add(path, std::move(it));
}

bool LayerPlan::contains(const std::string& path) const {
  return items_.count(normalize_member_path(path)) > 0;
}

std::vector<std::pair<std::string, std::string>> LayerPlan::describe() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [path, item] : items_) {
    out.emplace_back(std::string(type_name(item.entry.type)) + " /" + path, item.where);
  }
  return out;
}

std::vector<std::string> LayerPlan::paths() const {
  std::vector<std::string> out;
  for (const auto& [path, item] : items_) out.push_back("/" + path);
  return out;
}

void LayerPlan::write(TarWriter& tar, int64_t mtime, const Style& style) const {
  std::map<std::string, const Item*, ComponentLess> all;
  std::set<std::string> implied;
  for (const auto& [path, item] : items_) {
    all[path] = &item;
    for (size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      implied.insert(path.substr(0, slash));
    }
  }
  Item parent;
  parent.entry.type = TarEntry::Type::kDirectory;
  parent.entry.mode = 0755;
  for (const auto& p : implied) {
    if (style.parents && !all.count(p)) all[p] = &parent;
  }
  for (const auto& [path, item] : all) {
    TarEntry e = item->entry;
    e.path = style.prefix + path;
    e.mtime = mtime;
    if (e.uname.empty() && e.uid == 0) e.uname = "root";
    if (e.gname.empty() && e.gid == 0) e.gname = "root";
    if (item->src) {
      FileSource in(*item->src);
      if (in.size() != e.size) throw Error(*item->src + " changed while the image was built");
      tar.add(e, &in);
    } else if (e.type == TarEntry::Type::kFile) {
      tar.add(e, item->data);
    } else {
      tar.add(e);
    }
  }
}

}  // namespace distill
