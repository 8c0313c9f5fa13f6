// docker-archive:FILE[:NAME:TAG] for reading (`docker save` tarballs).
#include "oci/docker_archive.h"
#include "transport/transports.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::transport {

bool is_docker_archive_path(const std::string& path) {
  return !is_directory(path);  // the fallback for files and paths yet to exist
}

namespace {

// A bare PATH that does not exist lands here only because docker-archive is
// the fallback kind for paths yet to be written: reading it, say that
// nothing is there, not that some docker-archive file is missing.
[[noreturn]] void no_docker_archive(const Reference& ref) {
  if (ref.text.rfind("docker-archive:", 0) == 0)
    throw Error(ErrorKind::kNotFound, ref.path + ": no such docker-archive file");
  throw Error(ErrorKind::kNotFound,
              ref.path +
                  ": no such file or directory (an image is an OCI layout directory, an "
                  "oci-archive or docker-archive file, or docker://HOST/REPO:TAG)");
}

}  // namespace

oci::Artifact open_docker_archive(const Reference& ref, const OpenOptions&) {
  if (!path_exists(ref.path)) no_docker_archive(ref);
  oci::DockerArchive archive(ref.path);
  oci::Artifact a;
  a.image = archive.image(ref.tag);
  return a;
}

std::vector<std::string> docker_archive_tags(const Reference& ref, const OpenOptions&) {
  if (!path_exists(ref.path)) no_docker_archive(ref);
  oci::DockerArchive archive(ref.path);
  std::vector<std::string> tags;
  for (size_t i = 0; i < archive.size(); ++i) {
    for (const auto& t : archive.repo_tags(i)) tags.push_back(t);
  }
  return tags;
}

}  // namespace distill::transport
