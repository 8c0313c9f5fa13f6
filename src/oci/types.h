// OCI and Docker media types, descriptors and platforms, with JSON mapping.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace distill::oci {

inline constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* kOciLayerTar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr const char* kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr const char* kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";

bool is_index_media_type(const std::string& mt);
bool is_manifest_media_type(const std::string& mt);
bool is_layer_media_type(const std::string& mt);

struct Platform {
  std::string os = "linux";
  std::string architecture;
  std::string variant;
  std::string to_string() const;  // "linux/arm64/v8"
  bool operator==(const Platform&) const = default;
};

// Parses "linux/arm64/v8", "arm64", "linux/amd64".
Platform parse_platform(const std::string& text);

struct Descriptor {
  std::string media_type;
  std::string digest;
  int64_t size = 0;
  std::map<std::string, std::string> annotations;
  std::optional<Platform> platform;
  // An attached artifact's type (image-spec 1.1 `artifactType`), as the
  // referrers API and a layout's index.json list it; "" for images.
  std::string artifact_type;

  nlohmann::json to_json() const;
  // `context` names the document in errors, e.g. "index.json manifests[2]".
  static Descriptor from_json(const nlohmann::json& j, const std::string& context);
};

// Serialises JSON the same way every time (sorted keys, no spaces).
std::string canonical_json(const nlohmann::json& j);

// Parses JSON, throwing an Error that names `what` on bad input.
nlohmann::json parse_json(const std::string& text, const std::string& what);

// Checked accessors for documents read from images: nlohmann's own
// accessors throw json::type_error on a wrong type, which is no message a
// user can act on.
// j[key] when j is an object holding a string there; `fallback` when j is
// not an object or lacks the key; an Error naming `what` for another type.
std::string json_string(const nlohmann::json& j, const char* key, const std::string& fallback,
                        const std::string& what);
// A config's rootfs.diff_ids (empty when absent); an Error naming `what`
// unless it is an array of strings.
std::vector<std::string> config_diff_ids(const nlohmann::json& config, const std::string& what);

}  // namespace distill::oci
