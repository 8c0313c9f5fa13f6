// Reading images from a registry: manifests (OCI and Docker schema2, images
// and indexes) by tag or digest, and layers whose blobs are downloaded on
// demand or in parallel beforehand, each verified against its digest.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "oci/image.h"
#include "registry/reference.h"
#include "registry/session.h"

namespace distill {
class Progress;
}

namespace distill::registry {

// Accept header for manifest GETs: every manifest and index type we read.
extern const char* const kManifestAccept;

struct RawManifest {
  std::string raw;
  std::string media_type;
  std::string digest;
};

// GETs /v2/REPO/manifests/REFERENCE and checks its digest (against the
// reference when it is one, else against Docker-Content-Digest).
RawManifest fetch_manifest(Session& session, const std::string& repository,
                           const std::string& reference);

class RegistryLayer : public oci::Layer {
 public:
  RegistryLayer(std::shared_ptr<Session> session, std::string repository, oci::Descriptor desc,
                std::string diff_id)
      : session_(std::move(session)),
        repository_(std::move(repository)),
        desc_(std::move(desc)),
        diff_id_(std::move(diff_id)) {}
  oci::Descriptor descriptor() const override { return desc_; }
  std::string diff_id() const override { return diff_id_; }
  std::unique_ptr<ByteSource> open_blob() const override;
  // The download in the session's private blob directory (fetched now if
  // need be): only fetch() and prefetch_layers() put files there, each
  // hashed and sized against the descriptor first.
  std::string verified_file() const override { return fetch(); }

  // Downloads the blob once into the session's blob directory, verified;
  // returns its path.
  std::string fetch() const;
  // Where fetch() keeps the blob (it may not exist yet).
  std::string cache_path() const;
  const std::shared_ptr<Session>& session() const { return session_; }
  const std::string& repository() const { return repository_; }

 private:
  std::shared_ptr<Session> session_;
  std::string repository_;
  oci::Descriptor desc_;
  std::string diff_id_;
};

// Resolves `ref` to an image or an index of lazily loaded images (oci/partial).
oci::Artifact fetch_artifact(const std::shared_ptr<Session>& session, const ImageRef& ref);

// Downloads the registry layers among `layers` (others are ignored), up to
// `parallel` at a time, so later open_blob() calls read local files.
void prefetch_layers(const std::vector<oci::LayerPtr>& layers, int parallel, Progress* progress);

}  // namespace distill::registry
