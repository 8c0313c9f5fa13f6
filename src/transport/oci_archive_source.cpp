// oci-archive:FILE[:TAG] for reading: a tar of an OCI image layout, as
// skopeo, podman and buildah write it. Read in place: one scan lists the
// members and keeps the small ones (index.json, manifests, configs); layer
// data is re-read from the file when a layer is opened.
#include <map>

#include "archive/tar_reader.h"
#include "oci/docker_archive.h"
#include "oci/layout.h"
#include "oci/partial.h"
#include "transport/transports.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill::transport {

namespace {

constexpr uint64_t kMaxKept = 1 << 20;        // members kept in memory, each
constexpr uint64_t kMaxKeptTotal = 64 << 20;  // and in all
constexpr int64_t kMaxJsonBlob = 16 << 20;

struct Members {
  std::map<std::string, uint64_t> sizes;  // regular files
  std::map<std::string, std::string> kept;
};

Members scan_members(const std::string& path) {
  Members m;
  uint64_t kept = 0;
  try {
    TarReader r(std::make_unique<FileSource>(path), path);
    TarEntry e;
    while (r.next(e)) {
      if (e.type != TarEntry::Type::kFile) continue;
      m.sizes[e.path] = e.size;
      if (e.size <= kMaxKept && kept + e.size <= kMaxKeptTotal) {
        m.kept[e.path] = r.read_all_data();
        kept += e.size;
      }
    }
  } catch (const Error& e) {
    std::string msg = e.what();
    if (msg.rfind(path + ": ", 0) == 0) msg = msg.substr(path.size() + 2);
    throw Error(path + " is not a readable oci-archive: " + msg);
  }
  return m;
}

class ArchiveFetcher : public oci::BlobFetcher {
 public:
  ArchiveFetcher(std::string path, Members members)
      : path_(std::move(path)), members_(std::move(members)) {}
  std::string where() const override { return path_; }
  std::string fetch_manifest(const oci::Descriptor& d) const override { return small_blob(d); }
  std::string fetch_config(const oci::Descriptor& d) const override { return small_blob(d); }
  oci::LayerPtr layer(const oci::Descriptor& d, const std::string& diff_id) const override;

  // The member holding `digest`; errors say it is missing.
  std::string member(const std::string& digest, const std::string& what) const {
    std::string name = oci::layout_blob_path(digest);
    if (!members_.sizes.count(name))
      throw Error(path_ + ": " + what + " " + digest + " is missing");
    return name;
  }

 private:
  std::string small_blob(const oci::Descriptor& d) const;
  std::string path_;
  Members members_;
};

class ArchiveLayer : public oci::Layer {
 public:
  ArchiveLayer(std::string archive, std::string member, oci::Descriptor d, std::string diff_id)
      : archive_(std::move(archive)),
        member_(std::move(member)),
        desc_(std::move(d)),
        diff_id_(std::move(diff_id)) {}
  oci::Descriptor descriptor() const override { return desc_; }
  std::string diff_id() const override { return diff_id_; }
  std::unique_ptr<ByteSource> open_blob() const override {
    return oci::verify_source(oci::open_archive_member(archive_, member_), desc_.digest, desc_.size,
                              archive_ + ": blob " + desc_.digest);
  }

 private:
  std::string archive_, member_;
  oci::Descriptor desc_;
  std::string diff_id_;
};

std::string ArchiveFetcher::small_blob(const oci::Descriptor& d) const {
  std::string name = member(d.digest, "blob");
  if (d.size > kMaxJsonBlob) throw Error(path_ + ": blob " + d.digest + " is too large for JSON");
  auto it = members_.kept.find(name);
  std::string data;
  if (it != members_.kept.end()) {
    data = it->second;
  } else {
    if (members_.sizes.at(name) > static_cast<uint64_t>(kMaxJsonBlob))
      throw Error(path_ + ": blob " + d.digest + " is too large for JSON");
    data = read_all(*oci::open_archive_member(path_, name));
  }
  if (static_cast<int64_t>(data.size()) != d.size) {
    throw Error(path_ + ": blob " + d.digest + " has " + std::to_string(data.size()) +
                " bytes, expected " + std::to_string(d.size));
  }
  if (sha256_digest(data) != d.digest) throw Error(path_ + ": blob " + d.digest + " is corrupt");
  return data;
}

oci::LayerPtr ArchiveFetcher::layer(const oci::Descriptor& d, const std::string& diff_id) const {
  return std::make_shared<ArchiveLayer>(path_, member(d.digest, "layer blob"), d, diff_id);
}

// The member `name` that the layout format requires.
const std::string& required(const Members& m, const std::string& path, const std::string& name) {
  auto it = m.kept.find(name);
  if (it == m.kept.end()) throw Error(path + " is not an oci-archive: no " + name);
  return it->second;
}

}  // namespace

bool is_oci_archive_path(const std::string& path) {
  if (!path_exists(path) || is_directory(path)) return false;
  try {
    TarReader r(std::make_unique<FileSource>(path), path);
    TarEntry e;
    while (r.next(e)) {
      if (e.path == "oci-layout") return true;
    }
  } catch (const Error&) {
  }
  return false;
}

oci::Artifact open_oci_archive(const Reference& ref, const OpenOptions&) {
  if (!path_exists(ref.path)) throw Error(ref.path + ": no such oci-archive file");
  if (is_directory(ref.path))
    throw Error(ref.path + " is a directory, not an oci-archive (use oci:" + ref.path + ")");
  Members m = scan_members(ref.path);
  oci::check_layout_version(required(m, ref.path, "oci-layout"), ref.path + ": oci-layout");
  std::vector<oci::Descriptor> entries =
      oci::parse_layout_index(required(m, ref.path, "index.json"), ref.path + ": index.json");
  oci::Descriptor top = oci::resolve_layout_tag(entries, ref.tag, ref.path);
  auto f = std::make_shared<ArchiveFetcher>(ref.path, std::move(m));
  std::string raw = f->fetch_manifest(top);
  return oci::artifact_from(f, top, std::move(raw), top.digest, true);
}

std::vector<std::string> oci_archive_tags(const Reference& ref, const OpenOptions&) {
  if (!path_exists(ref.path)) throw Error(ref.path + ": no such oci-archive file");
  Members m = scan_members(ref.path);
  std::vector<std::string> tags;
  for (const auto& d :
       oci::parse_layout_index(required(m, ref.path, "index.json"), ref.path + ": index.json")) {
    auto it = d.annotations.find(oci::kRefNameAnnotation);
    if (it != d.annotations.end()) tags.push_back(it->second);
  }
  return tags;
}

}  // namespace distill::transport
