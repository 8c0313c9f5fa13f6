// docker-archive tarballs (`docker save` format): manifest.json,
// repositories, <config>.json and one tar per layer. Read by `docker load`,
// `podman load` and skopeo's docker-archive transport.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "oci/image.h"

namespace distill::oci {

bool looks_like_docker_archive(const std::string& path);

// The data of member `member` of the tar file `archive`, found by scanning
// (archives hold a few dozen members). Shared with oci-archive.
std::unique_ptr<ByteSource> open_archive_member(const std::string& archive,
                                                const std::string& member);

class DockerArchive {
 public:
  // Reads the archive once: manifest.json, configs, and the digest of every
  // layer member. Layer data is re-read from the file on demand.
  explicit DockerArchive(std::string path);
  size_t size() const { return images_.size(); }
  const std::vector<std::string>& repo_tags(size_t i) const { return tags_[i]; }
  // `tag` "" selects the only image (or the first); otherwise a RepoTags match.
  ImagePtr image(const std::string& tag) const;

 private:
  std::string path_;
  std::vector<ImagePtr> images_;
  std::vector<std::vector<std::string>> tags_;
};

struct DockerArchiveEntry {
  ImagePtr image;
  std::vector<std::string> repo_tags;  // "name:tag"
};

// Writes atomically (temp file beside `path`, then rename). Layers are
// stored uncompressed and named by diff_id, as `docker save` does.
void write_docker_archive(const std::string& path, const std::vector<DockerArchiveEntry>& entries);
// The same tar, streamed to `out` (stdout for `-o -`); out.finish() is left
// to the caller.
void write_docker_archive(ByteSink& out, const std::vector<DockerArchiveEntry>& entries);

}  // namespace distill::oci
