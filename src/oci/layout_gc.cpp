// Garbage collection of OCI layouts: the blobs that index.json's entries
// reach (through indexes and manifests) stay, the others go. The writer runs
// it on its stage before the swap; `distill gc` runs it on a layout in place.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "oci/layout.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/handles.h"

namespace distill::oci {

namespace {

constexpr int64_t kMaxGcJsonBlob = 16 << 20;
constexpr int kMaxDepth = 8;  // index -> index -> manifest is already rare

class Reach {
 public:
  explicit Reach(std::string dir) : dir_(std::move(dir)) {}

  // Marks `d` and, for an index or a manifest, what it names.
  void mark(const Descriptor& d, int depth) {
    if (!seen_.insert(d.digest).second) return;
    // An entry without a media type (some older tools) may still be a
    // manifest; reading it is cheaper than losing what it names.
    bool unknown = d.media_type.empty();
    bool parent =
        unknown || is_index_media_type(d.media_type) || is_manifest_media_type(d.media_type);
    if (!parent) return;
    if (depth > kMaxDepth) throw Error(dir_ + ": indexes nested deeper than 8 levels");
    std::string path = join_path(dir_, layout_blob_path(d.digest));
    if (!path_exists(path)) {
      throw Error(dir_ + ": blob " + d.digest +
                  " that index.json reaches is missing; not collecting (restore it or re-tag)");
    }
    if (d.size > kMaxGcJsonBlob) {
      if (unknown) return;  // a layer, not a manifest
      throw Error(dir_ + ": blob " + d.digest + " is too large for JSON");
    }
    std::string raw = read_file(path);
    if (unknown && !nlohmann::json::accept(raw)) return;
    nlohmann::json j = parse_json(raw, dir_ + ": blob " + d.digest);
    if (!j.is_object()) return;
    std::string where = dir_ + ": " + d.digest;
    for (const char* key : {"manifests", "layers", "blobs"}) {
      auto it = j.find(key);
      if (it == j.end() || !it->is_array()) continue;
      for (const auto& child : *it) mark(Descriptor::from_json(child, where), depth + 1);
    }
    for (const char* key : {"config", "subject"}) {
      auto it = j.find(key);
      if (it != j.end() && it->is_object()) mark(Descriptor::from_json(*it, where), depth + 1);
    }
  }
  bool reached(const std::string& digest) const { return seen_.count(digest) > 0; }
  const std::set<std::string>& seen() const { return seen_; }

 private:
  std::string dir_;
  std::set<std::string> seen_;
};

}  // namespace

std::set<std::string> layout_reachable(const std::string& dir,
                                       const std::vector<Descriptor>& roots) {
  Reach reach(dir);
  for (const auto& d : roots) reach.mark(d, 0);
  return reach.seen();
}

GcResult collect_layout_garbage(const std::string& dir, const std::vector<Descriptor>& roots,
                                bool dry_run) {
  Reach reach(dir);
  for (const auto& d : roots) reach.mark(d, 0);
  GcResult result;
  std::string blobs = join_path(dir, "blobs/sha256");
  DirPtr d = open_dir(blobs);
  if (!d) return result;
  std::vector<std::string> names;
  while (dirent* ent = ::readdir(d.get())) {
    std::string name = ent->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    if (reach.reached("sha256:" + name)) continue;
    std::string path = join_path(blobs, name);
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) throw_errno("cannot stat", path);
    if (!dry_run && ::unlink(path.c_str()) != 0) throw_errno("cannot remove", path);
    result.removed.push_back({"sha256:" + name, static_cast<uint64_t>(st.st_size)});
    result.bytes += static_cast<uint64_t>(st.st_size);
  }
  return result;
}

}  // namespace distill::oci
