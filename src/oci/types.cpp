#include "oci/types.h"

#include "util/error.h"
#include "util/sha256.h"

namespace distill::oci {

bool is_index_media_type(const std::string& mt) {
  return mt == kOciIndex || mt == kDockerManifestList;
}

bool is_manifest_media_type(const std::string& mt) {
  return mt == kOciManifest || mt == kDockerManifest;
}

bool is_layer_media_type(const std::string& mt) {
  return mt == kOciLayerTar || mt == kOciLayerGzip || mt == kOciLayerZstd ||
         mt == kDockerLayerGzip || mt == "application/vnd.docker.image.rootfs.diff.tar" ||
         mt == "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
}

std::string Platform::to_string() const {
  std::string s = os + "/" + architecture;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

Platform parse_platform(const std::string& text) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = text.find('/', i);
    if (j == std::string::npos) j = text.size();
    parts.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  Platform p;
  if (parts.size() == 1) {
    p.architecture = parts[0];
  } else if (parts.size() == 2 || parts.size() == 3) {
    p.os = parts[0];
    p.architecture = parts[1];
    if (parts.size() == 3) p.variant = parts[2];
  }
  if (p.architecture.empty() || p.os.empty()) {
    throw Error("bad platform '" + text + "' (expected OS/ARCH[/VARIANT], e.g. linux/arm64/v8)");
  }
  return p;
}

nlohmann::json Descriptor::to_json() const {
  nlohmann::json j;
  j["mediaType"] = media_type;
  j["digest"] = digest;
  j["size"] = size;
  if (!annotations.empty()) j["annotations"] = annotations;
  if (!artifact_type.empty()) j["artifactType"] = artifact_type;
  if (platform) {
    nlohmann::json p;
    p["os"] = platform->os;
    p["architecture"] = platform->architecture;
    if (!platform->variant.empty()) p["variant"] = platform->variant;
    j["platform"] = p;
  }
  return j;
}

Descriptor Descriptor::from_json(const nlohmann::json& j, const std::string& context) {
  if (!j.is_object()) throw Error(context + ": descriptor is not a JSON object");
  Descriptor d;
  auto str = [&](const char* key, bool required) -> std::string {
    auto it = j.find(key);
    if (it == j.end()) {
      if (required) throw Error(context + ": missing \"" + key + "\"");
      return "";
    }
    if (!it->is_string()) throw Error(context + ": \"" + key + "\" is not a string");
    return it->get<std::string>();
  };
  d.media_type = str("mediaType", false);
  d.artifact_type = str("artifactType", false);
  d.digest = str("digest", true);
  digest_hex(d.digest, context + " digest");
  auto size = j.find("size");
  if (size == j.end() || !size->is_number_integer() || size->get<int64_t>() < 0) {
    throw Error(context + ": missing or bad \"size\"");
  }
  d.size = size->get<int64_t>();
  if (auto a = j.find("annotations"); a != j.end() && a->is_object()) {
    for (auto& [k, v] : a->items()) {
      if (v.is_string()) d.annotations[k] = v.get<std::string>();
    }
  }
  if (auto p = j.find("platform"); p != j.end() && p->is_object()) {
    Platform pl;
    pl.os = p->value("os", "");
    pl.architecture = p->value("architecture", "");
    pl.variant = p->value("variant", "");
    d.platform = pl;
  }
  return d;
}

std::string canonical_json(const nlohmann::json& j) {
  return j.dump();
}

std::string json_string(const nlohmann::json& j, const char* key, const std::string& fallback,
                        const std::string& what) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_string()) throw Error(what + ": \"" + key + "\" is not a string");
  return it->get<std::string>();
}

std::vector<std::string> config_diff_ids(const nlohmann::json& config, const std::string& what) {
  std::vector<std::string> out;
  if (!config.is_object()) throw Error(what + " is not a JSON object");
  auto rootfs = config.find("rootfs");
  if (rootfs == config.end()) return out;
  if (!rootfs->is_object()) throw Error(what + ": \"rootfs\" is not an object");
  auto ids = rootfs->find("diff_ids");
  if (ids == rootfs->end()) return out;
  if (!ids->is_array()) throw Error(what + ": rootfs.diff_ids is not an array");
  for (size_t i = 0; i < ids->size(); ++i) {
    if (!(*ids)[i].is_string())
      throw Error(what + ": rootfs.diff_ids[" + std::to_string(i) + "] is not a string");
    out.push_back((*ids)[i].get<std::string>());
  }
  return out;
}

nlohmann::json parse_json(const std::string& text, const std::string& what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(what + " is not valid JSON: " + std::string(e.what()).substr(0, 160));
  }
}

}  // namespace distill::oci
