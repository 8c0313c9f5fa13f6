#include "oci/layout.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdlib.h>
#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "oci/partial.h"
#include "oci/referrers.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/handles.h"
#include "util/sha256.h"
#include "util/umask.h"

namespace distill::oci {

namespace {

constexpr const char* kLayoutFile = "{\"imageLayoutVersion\":\"1.0.0\"}";
constexpr int64_t kMaxJsonBlob = 16 << 20;  // manifests and configs are small

std::string blob_rel(const std::string& digest) {
  return "blobs/sha256/" + digest_hex(digest, "blob digest");
}

std::vector<std::string> tags_of(const std::vector<Descriptor>& entries) {
  std::vector<std::string> out;
  for (auto& e : entries) {
    auto it = e.annotations.find(kRefNameAnnotation);
    if (it != e.annotations.end()) out.push_back(it->second);
  }
  return out;
}

}  // namespace

std::string layout_blob_path(const std::string& digest) {
  return blob_rel(digest);
}

std::string layout_version_file() {
  return kLayoutFile;
}

void check_layout_version(const std::string& raw, const std::string& where) {
  auto layout = parse_json(raw, where);
  if (!layout.is_object() || !layout.contains("imageLayoutVersion")) {
    throw Error(where + ": missing imageLayoutVersion");
  }
}

std::vector<Descriptor> parse_layout_index(const std::string& raw, const std::string& where) {
  auto index = parse_json(raw, where);
  if (!index.is_object() || !index.contains("manifests") || !index["manifests"].is_array()) {
    throw Error(where + ": missing \"manifests\" array");
  }
  std::vector<Descriptor> entries;
  size_t i = 0;
  for (auto& m : index["manifests"]) {
    entries.push_back(Descriptor::from_json(m, where + " manifests[" + std::to_string(i++) + "]"));
  }
  return entries;
}

std::string layout_index_json(const std::vector<Descriptor>& entries) {
  nlohmann::json index;
  index["schemaVersion"] = 2;
  index["mediaType"] = kOciIndex;
  index["manifests"] = nlohmann::json::array();
  for (auto& e : entries) index["manifests"].push_back(e.to_json());
  return canonical_json(index);
}

Descriptor resolve_layout_tag(const std::vector<Descriptor>& entries, const std::string& tag,
                              const std::string& where) {
  if (tag.empty()) {
    std::vector<const Descriptor*> images;
    for (const auto& e : entries)
      if (!is_attached_entry(e)) images.push_back(&e);
    if (images.size() == 1) return *images[0];
    if (images.empty()) throw Error(where + ": the layout holds no images");
  }
  std::string want = tag.empty() ? "latest" : tag;
  for (auto& e : entries) {
    auto it = e.annotations.find(kRefNameAnnotation);
    if (it != e.annotations.end() && it->second == want) return e;
  }
  std::string list;
  for (auto& t : tags_of(entries)) list += (list.empty() ? "" : ", ") + t;
  throw Error(where + ": no image tagged '" + want + "'" +
              (list.empty() ? std::string(" (no tags)") : " (tags: " + list + ")"));
}

bool is_attached_entry(const Descriptor& d) {
  return !d.artifact_type.empty();
}

bool is_oci_layout(const std::string& dir) {
  return path_exists(join_path(dir, "oci-layout")) && path_exists(join_path(dir, "index.json"));
}

OciLayout::OciLayout(std::string dir) : dir_(std::move(dir)) {
  if (!is_directory(dir_)) throw Error(dir_ + " is not a directory (expected an OCI image layout)");
  std::string layout_path = join_path(dir_, "oci-layout");
  if (!path_exists(layout_path))
    throw Error(dir_ + " is not an OCI image layout: no oci-layout file");
  check_layout_version(read_file(layout_path), layout_path);
  std::string index_path = join_path(dir_, "index.json");
  if (!path_exists(index_path)) throw Error(dir_ + " is not an OCI image layout: no index.json");
  entries_ = parse_layout_index(read_file(index_path), index_path);
}

std::vector<std::string> OciLayout::tags() const {
  return tags_of(entries_);
}

std::string OciLayout::blob_path(const std::string& digest) const {
  return join_path(dir_, blob_rel(digest));
}

std::string OciLayout::read_blob(const Descriptor& d) const {
  std::string path = blob_path(d.digest);
  if (!path_exists(path)) throw Error(dir_ + ": blob " + d.digest + " is missing");
  if (d.size > kMaxJsonBlob) throw Error(dir_ + ": blob " + d.digest + " is too large for JSON");
  std::string data = read_file(path);
  if (static_cast<int64_t>(data.size()) != d.size) {
    throw Error(dir_ + ": blob " + d.digest + " has " + std::to_string(data.size()) +
                " bytes, expected " + std::to_string(d.size));
  }
  if (sha256_digest(data) != d.digest)
    throw Error(ErrorKind::kIntegrity, dir_ + ": blob " + d.digest + " is corrupt");
  return data;
}

std::vector<Descriptor> OciLayout::referrers(const std::string& subject) const {
  std::vector<Descriptor> out;
  for (const auto& e : entries_) {
    if (!is_attached_entry(e)) continue;
    ParsedArtifact a = parse_artifact(read_blob(e), dir_ + ": artifact " + e.digest);
    if (a.subject.digest == subject) out.push_back(e);
  }
  return out;
}

Artifact OciLayout::resolve(const std::string& tag) const {
  return load(resolve_layout_tag(entries_, tag, dir_));
}

namespace {

// Blobs of a layout are files named by digest.
class LayoutFetcher : public BlobFetcher {
 public:
  explicit LayoutFetcher(const OciLayout& layout) : layout_(layout) {}
  std::string where() const override { return layout_.dir(); }
  std::string fetch_manifest(const Descriptor& d) const override { return layout_.read_blob(d); }
  std::string fetch_config(const Descriptor& d) const override { return layout_.read_blob(d); }
  LayerPtr layer(const Descriptor& d, const std::string& diff_id) const override {
    std::string path = layout_.blob_path(d.digest);
    if (!path_exists(path)) throw Error(layout_.dir() + ": layer blob " + d.digest + " is missing");
    return std::make_shared<FileLayer>(path, d, diff_id);
  }

 private:
  OciLayout layout_;  // a copy: images outlive the caller's OciLayout
};

}  // namespace

Artifact OciLayout::load(const Descriptor& d) const {
  auto f = std::make_shared<LayoutFetcher>(*this);
  return artifact_from(f, d, read_blob(d), d.digest, true);
}

// ---- writer ----

namespace {

// Hard-links (or copies, across filesystems) every blob of `from` into `to`.
void link_blobs(const std::string& from, const std::string& to) {
  std::string src_dir = join_path(from, "blobs/sha256");
  DirPtr d = open_dir(src_dir);
  if (!d) return;
  while (dirent* ent = ::readdir(d.get())) {
    std::string name = ent->d_name;
    if (name == "." || name == "..") continue;
    std::string src = join_path(src_dir, name);
    std::string dst = join_path(to, "blobs/sha256/" + name);
    if (::link(src.c_str(), dst.c_str()) != 0) {
      if (errno == EEXIST) continue;
      FileSource in(src);
      FileSink out(dst);
      copy_stream(in, out);
      out.finish();
    }
  }
}

}  // namespace

OciLayoutWriter::OciLayoutWriter(const std::string& target) : target_(target) {
  bool exists = path_exists(target);
  if (exists && !is_directory(target)) {
    throw Error(target +
                " exists and is not a directory; refusing to overwrite it with an OCI layout");
  }
  std::vector<Descriptor> old;
  if (exists && !is_oci_layout(target)) {
    DirPtr d = open_dir(target);
    bool empty = true;
    if (d) {
      while (dirent* ent = ::readdir(d.get())) {
        std::string n = ent->d_name;
        if (n != "." && n != "..") empty = false;
      }
    }
    if (!empty) {
      throw Error(target + " exists and is not an OCI image layout; refusing to overwrite it");
    }
  }
  std::string parent = parent_dir(absolute_path(target));
  make_dirs(parent);
  stage_dir_ = std::make_unique<TempDir>(
      parent, std::filesystem::path(absolute_path(target)).filename().string());
  stage_ = stage_dir_->path();
  make_dirs(join_path(stage_, "blobs/sha256"));
  if (exists && is_oci_layout(target)) {
    OciLayout existing(target);
    entries_ = existing.entries();
    link_blobs(target, stage_);
  }
}

// stage_dir_ removes the uncommitted stage, or the old layout swapped out.
OciLayoutWriter::~OciLayoutWriter() = default;

bool OciLayoutWriter::has_blob(const std::string& digest) const {
  return path_exists(join_path(stage_, blob_rel(digest)));
}

void OciLayoutWriter::write_blob(const Descriptor& d, ByteSource& src) {
  if (has_blob(d.digest)) return;
  std::string tmp = join_path(stage_, "blobs/.incoming-" + digest_hex(d.digest));
  FileSink out(tmp);
  DigestSink hashed(&out);
  copy_stream(src, hashed);
  hashed.finish();
  if (static_cast<int64_t>(hashed.size()) != d.size || hashed.digest() != d.digest) {
    ::unlink(tmp.c_str());
    throw Error("blob " + d.digest + " did not match its descriptor (got " + hashed.digest() +
                ", " + std::to_string(hashed.size()) + " bytes)");
  }
  adopt_blob(tmp, d.digest);
}

void OciLayoutWriter::write_blob(const Descriptor& d, const std::string& bytes) {
  StringSource src(bytes);
  write_blob(d, src);
}

void OciLayoutWriter::adopt_blob(const std::string& file, const std::string& digest) {
  std::string dst = join_path(stage_, blob_rel(digest));
  if (::rename(file.c_str(), dst.c_str()) != 0) throw_errno("cannot move blob into", dst);
}

void OciLayoutWriter::write_layer(const Layer& layer) {
  Descriptor d = layer.descriptor();
  if (has_blob(d.digest)) return;
  // A build's own blobs, a download this process verified: a hard link, no
  // copy (a build or pull stays fast however big its layers). Across
  // filesystems, or for any other layer, a verified copy.
  if (std::string file = layer.verified_file(); !file.empty()) {
    std::string dst = join_path(stage_, blob_rel(d.digest));
    if (::link(file.c_str(), dst.c_str()) == 0) return;
    if (errno != EXDEV && errno != EPERM) throw_errno("cannot link blob into", dst);
  }
  auto src = layer.open_blob();
  write_blob(d, *src);
}

Descriptor OciLayoutWriter::write_image(const Image& image) {
  for (const auto& layer : image.layers()) write_layer(*layer);
  std::string config = image.raw_config();
  Descriptor cd;
  cd.media_type = kOciConfig;
  cd.digest = sha256_digest(config);
  cd.size = static_cast<int64_t>(config.size());
  write_blob(cd, config);
  std::string manifest = image.raw_manifest();
  Descriptor md = image.descriptor();
  write_blob(md, manifest);
  return md;
}

Descriptor OciLayoutWriter::write_index(const Index& index) {
  for (const auto& e : index.manifests()) {
    if (!e.image) throw Error("cannot write index entry " + e.descriptor.digest + ": not an image");
    write_image(*e.image);
  }
  std::string raw = index.raw_index();
  Descriptor d;
  d.media_type = index.media_type();
  d.digest = sha256_digest(raw);
  d.size = static_cast<int64_t>(raw.size());
  write_blob(d, raw);
  return d;
}

void OciLayoutWriter::tag(Descriptor d, const std::string& ref_name) {
  d.annotations[kRefNameAnnotation] = ref_name;
  auto same = [&](const Descriptor& e) {
    auto it = e.annotations.find(kRefNameAnnotation);
    return it != e.annotations.end() && it->second == ref_name;
  };
  auto it = std::find_if(entries_.begin(), entries_.end(), same);
  if (it != entries_.end()) {
    *it = d;  // keep the position so other tags keep their order
  } else {
    entries_.push_back(d);
  }
}

void OciLayoutWriter::attach(const Descriptor& d, const std::string& raw, const Descriptor& blob,
                             const std::string& content) {
  if (!is_attached_entry(d)) throw Error("internal: attaching " + d.digest + " without a type");
  write_blob(empty_descriptor(), empty_blob());
  write_blob(blob, content);
  write_blob(d, raw);
  for (const auto& e : entries_)
    if (e.digest == d.digest) return;
  entries_.push_back(d);
}

void OciLayoutWriter::drop_orphaned_artifacts() {
  std::vector<Descriptor> images;
  for (const auto& e : entries_)
    if (!is_attached_entry(e)) images.push_back(e);
  std::set<std::string> live = layout_reachable(stage_, images);
  // An artifact may be attached to another one: keep what a kept entry reaches.
  std::vector<std::pair<Descriptor, std::string>> pending;
  for (const auto& e : entries_) {
    if (!is_attached_entry(e)) continue;
    std::string path = join_path(stage_, blob_rel(e.digest));
    std::string subject;
    if (path_exists(path)) subject = parse_artifact(read_file(path), e.digest).subject.digest;
    pending.emplace_back(e, subject);
  }
  std::set<std::string> kept;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [e, subject] : pending) {
      if (kept.count(e.digest) || !(live.count(subject) || kept.count(subject))) continue;
      kept.insert(e.digest);
      grew = true;
    }
  }
  std::erase_if(entries_,
                [&](const Descriptor& e) { return is_attached_entry(e) && !kept.count(e.digest); });
}

void OciLayoutWriter::commit() {
  drop_orphaned_artifacts();
  auto write = [&](const std::string& name, const std::string& data) {
    FileSink out(join_path(stage_, name));
    out.write(data.data(), data.size());
    out.finish();
  };
  write("oci-layout", kLayoutFile);
  write("index.json", layout_index_json(entries_));
  // A rebuilt tag no longer reaches its old blobs; without this every
  // rebuild would grow the layout. Blobs other tags share stay.
  collect_layout_garbage(stage_, entries_, false);
  // mkdtemp made the stage 0700; the layout is the user's, as mkdir makes it.
  if (::chmod(stage_.c_str(), 0777 & ~current_umask()) != 0) throw_errno("cannot chmod", stage_);
  if (is_directory(target_)) {
    if (::renameat2(AT_FDCWD, stage_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) != 0) {
      throw_errno("cannot replace", target_);
    }
  } else {
    if (::rename(stage_.c_str(), target_.c_str()) != 0) throw_errno("cannot create", target_);
    stage_dir_->release();
  }
  sync_dir(parent_dir(absolute_path(target_)));
}

}  // namespace distill::oci
