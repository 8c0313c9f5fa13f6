#include "oci/docker_archive.h"

#include <map>
#include <set>

#include "archive/compress.h"
#include "archive/tar_reader.h"
#include "archive/tar_writer.h"
#include "oci/partial.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill::oci {

namespace {

constexpr size_t kMaxJsonMember = 16 << 20;

// One member of the archive, read by scanning to it (archives hold a few
// dozen members, so a rescan is cheap next to the layer data itself).
class MemberSource : public ByteSource {
 public:
  MemberSource(const std::string& archive, const std::string& member)
      : reader_(std::make_unique<FileSource>(archive), archive) {
    TarEntry e;
    while (reader_.next(e)) {
      if (e.path == member) return;
    }
    throw Error(archive + ": member " + member + " is missing");
  }
  size_t read(void* buf, size_t n) override { return reader_.read(buf, n); }

 private:
  TarReader reader_;
};

class ArchiveLayer : public Layer {
 public:
  ArchiveLayer(std::string archive, std::string member, Descriptor d, std::string diff_id)
      : archive_(std::move(archive)),
        member_(std::move(member)),
        desc_(std::move(d)),
        diff_id_(std::move(diff_id)) {}
  Descriptor descriptor() const override { return desc_; }
  std::string diff_id() const override { return diff_id_; }
  std::unique_ptr<ByteSource> open_blob() const override {
    return verify_source(std::make_unique<MemberSource>(archive_, member_), desc_.digest,
                         desc_.size, archive_ + ": layer " + member_);
  }

 private:
  std::string archive_, member_;
  Descriptor desc_;
  std::string diff_id_;
};

struct MemberInfo {
  std::string digest;
  uint64_t size = 0;
  bool gzip = false;
  bool zstd = false;
};

}  // namespace

std::unique_ptr<ByteSource> open_archive_member(const std::string& archive,
                                                const std::string& member) {
  return std::make_unique<MemberSource>(archive, member);
}

bool looks_like_docker_archive(const std::string& path) {
  try {
    TarReader r(std::make_unique<FileSource>(path), path);
    TarEntry e;
    while (r.next(e)) {
      if (e.path == "manifest.json") return true;
    }
  } catch (const Error&) {
  }
  return false;
}

DockerArchive::DockerArchive(std::string path) : path_(std::move(path)) {
  std::map<std::string, std::string> json_members;
  std::map<std::string, MemberInfo> members;
  {
    TarReader r(std::make_unique<FileSource>(path_), path_);
    TarEntry e;
    while (r.next(e)) {
      if (e.type != TarEntry::Type::kFile) continue;
      if (e.path.size() > 5 && e.path.compare(e.path.size() - 5, 5, ".json") == 0) {
        if (e.size > kMaxJsonMember) throw Error(path_ + ": " + e.path + " is too large");
        json_members[e.path] = r.read_all_data();
        continue;
      }
      MemberInfo info;
      Sha256 h;
      char buf[1 << 16];
      bool first = true;
      for (size_t n; (n = r.read(buf, sizeof buf)) > 0;) {
        if (first && n >= 4) {
          info.gzip = static_cast<unsigned char>(buf[0]) == 0x1f &&
                      static_cast<unsigned char>(buf[1]) == 0x8b;
          info.zstd = std::string(buf, 4) == std::string("\x28\xb5\x2f\xfd", 4);
        }
        first = false;
        h.update(buf, n);
        info.size += n;
      }
      info.digest = h.digest();
      members[e.path] = info;
    }
  }
  auto mit = json_members.find("manifest.json");
  if (mit == json_members.end()) throw Error(path_ + " is not a docker-archive: no manifest.json");
  auto manifest = parse_json(mit->second, path_ + ": manifest.json");
  if (!manifest.is_array() || manifest.empty()) {
    throw Error(path_ + ": manifest.json must be a non-empty array");
  }
  for (size_t i = 0; i < manifest.size(); ++i) {
    auto& m = manifest[i];
    std::string where = path_ + ": manifest.json[" + std::to_string(i) + "]";
    if (!m.is_object() || !m.contains("Config") || !m["Config"].is_string() ||
        !m.contains("Layers") || !m["Layers"].is_array()) {
      throw Error(where + " lacks Config or Layers");
    }
    std::string config_name = normalize_member_path(m["Config"].get<std::string>());
    auto cit = json_members.find(config_name);
    if (cit == json_members.end()) throw Error(where + ": config " + config_name + " is missing");
    const std::string& config = cit->second;
    auto c = parse_json(config, path_ + ": " + config_name);
    std::vector<std::string> diff_ids = checked_diff_ids(c, m["Layers"].size(), where);
    std::vector<LayerPtr> layers;
    for (size_t li = 0; li < m["Layers"].size(); ++li) {
      if (!m["Layers"][li].is_string())
        throw Error(where + ": Layers[" + std::to_string(li) + "] is not a string");
      std::string name = normalize_member_path(m["Layers"][li].get<std::string>());
      auto lit = members.find(name);
      if (lit == members.end()) throw Error(where + ": layer " + name + " is missing");
      Descriptor d;
      d.media_type = lit->second.gzip   ? kOciLayerGzip
                     : lit->second.zstd ? kOciLayerZstd
                                        : kOciLayerTar;
      d.digest = lit->second.digest;
      d.size = static_cast<int64_t>(lit->second.size);
      const std::string& diff_id = diff_ids[li];
      if (d.media_type == kOciLayerTar && d.digest != diff_id) {
        throw Error(where + ": layer " + name + " hashes to " + d.digest +
                    " but the config says its diff_id is " + diff_id);
      }
      layers.push_back(std::make_shared<ArchiveLayer>(path_, name, d, diff_id));
    }
    std::string raw_manifest = make_manifest(config, layers);
    images_.push_back(std::make_shared<MemoryImage>(raw_manifest, config, std::move(layers)));
    std::vector<std::string> tags;
    if (m.contains("RepoTags") && m["RepoTags"].is_array()) {
      for (auto& t : m["RepoTags"]) {
        if (t.is_string()) tags.push_back(t.get<std::string>());
      }
    }
    tags_.push_back(std::move(tags));
  }
}

ImagePtr DockerArchive::image(const std::string& tag) const {
  if (tag.empty()) return images_.front();
  // skopeo and docker store fully qualified names ("docker.io/library/x:1");
  // users write the short form.
  std::string want = tag.find(':') == std::string::npos ? tag + ":latest" : tag;
  auto matches = [&](const std::string& t) {
    return t == tag || t == want || t == "docker.io/" + want || t == "docker.io/library/" + want;
  };
  for (size_t i = 0; i < images_.size(); ++i) {
    for (auto& t : tags_[i]) {
      if (matches(t)) return images_[i];
    }
  }
  throw Error(path_ + ": no image tagged '" + tag + "'");
}

namespace {

uint64_t uncompressed_size(const Layer& layer) {
  auto src = layer.open_tar();
  char buf[1 << 16];
  uint64_t total = 0;
  for (size_t n; (n = src->read(buf, sizeof buf)) > 0;) total += n;
  return total;
}

TarEntry member(const std::string& name, uint64_t size) {
  TarEntry e;
  e.path = name;
  e.type = TarEntry::Type::kFile;
  e.mode = 0644;
  e.size = size;
  return e;
}

}  // namespace

void write_docker_archive(const std::string& path, const std::vector<DockerArchiveEntry>& entries) {
  if (path_exists(path)) {
    if (is_directory(path))
      throw Error(path + " is a directory; refusing to overwrite it with a docker-archive");
    if (!looks_like_docker_archive(path)) {
      throw Error(path + " exists and is not a docker-archive; refusing to overwrite it");
    }
  }
  AtomicOutput out(path, false);
  FileSink file(out.path());
  write_docker_archive(file, entries);
  file.finish();
  out.commit();
}

void write_docker_archive(ByteSink& file, const std::vector<DockerArchiveEntry>& entries) {
  {
    TarWriter tar(file);
    std::set<std::string> written;
    nlohmann::json manifest = nlohmann::json::array();
    nlohmann::json repositories = nlohmann::json::object();
    for (const auto& entry : entries) {
      std::string config = entry.image->raw_config();
      std::string config_name = sha256_hex(config) + ".json";
      if (written.insert(config_name).second) tar.add(member(config_name, config.size()), config);
      nlohmann::json layer_names = nlohmann::json::array();
      std::string last;
      for (const auto& layer : entry.image->layers()) {
        std::string hex = digest_hex(layer->diff_id(), "layer diff_id");
        std::string name = hex + ".tar";
        layer_names.push_back(name);
        last = hex;
        if (!written.insert(name).second) continue;
        uint64_t size = layer->descriptor().media_type == kOciLayerTar
                            ? static_cast<uint64_t>(layer->descriptor().size)
                            : uncompressed_size(*layer);
        auto src = layer->open_tar();
        auto checked = verify_source(std::move(src), layer->diff_id(), static_cast<int64_t>(size),
                                     "layer " + layer->diff_id());
        tar.add(member(name, size), checked.get());
        char probe;
        checked->read(&probe, 1);  // reach EOF so the diff_id is checked
      }
      nlohmann::json m;
      m["Config"] = config_name;
      m["RepoTags"] = entry.repo_tags;
      m["Layers"] = layer_names;
      manifest.push_back(m);
      for (const auto& t : entry.repo_tags) {
        auto colon = t.rfind(':');
        if (colon == std::string::npos || t.find('/', colon) != std::string::npos) continue;
        repositories[t.substr(0, colon)][t.substr(colon + 1)] = last;
      }
    }
    std::string m = canonical_json(manifest);
    tar.add(member("manifest.json", m.size()), m);
    std::string r = canonical_json(repositories);
    tar.add(member("repositories", r.size()), r);
    tar.finish();
  }
}

}  // namespace distill::oci
