// Registry image references as Docker writes them: [HOST[:PORT]/]REPO[:TAG][@DIGEST].
// A first component without '.' or ':' (and not "localhost") is a Docker Hub
// repository: "debian" is docker.io/library/debian:latest.
#pragma once

#include <string>

namespace distill::registry {

inline constexpr const char* kDockerHub = "docker.io";

struct ImageRef {
  std::string registry;    // "docker.io", "127.0.0.1:5000", "ghcr.io"
  std::string repository;  // "library/debian"
  std::string tag;         // "" when only a digest was given
  std::string digest;      // "sha256:..." or ""

  // Host[:port] the API lives on (Docker Hub's differs from its name).
  std::string api_host() const;
  // The manifest reference to GET or PUT: the digest if any, else the tag.
  std::string reference() const { return digest.empty() ? tag : digest; }
  // "REGISTRY/REPO:TAG@DIGEST", normalised.
  std::string to_string() const;
  // "REGISTRY/REPO", for messages about blobs.
  std::string name() const { return registry + "/" + repository; }
};

// Parses a reference with or without the "docker://" prefix. A reference
// with neither tag nor digest gets the tag "latest". Throws Error naming
// the reference and the part that is wrong.
ImageRef parse_image_ref(const std::string& text);

}  // namespace distill::registry
