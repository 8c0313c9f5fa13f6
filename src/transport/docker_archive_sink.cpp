// docker-archive:FILE[:NAME:TAG] for writing: one platform, layers stored
// uncompressed by diff_id, as `docker save` does.
#include "oci/docker_archive.h"
#include "transport/transports.h"

namespace distill::transport {

namespace {

// "app" -> "app:latest" style names for builds: a tag alone gets the
// definition's name, a name alone gets :latest.
std::string docker_repo_tag(const std::string& name, const std::string& tag) {
  if (tag.find(':') != std::string::npos && tag.find('/', tag.rfind(':')) == std::string::npos) {
    return tag;
  }
  if (tag.find(':') == std::string::npos && !tag.empty() && tag.find('/') != std::string::npos) {
    return tag + ":latest";
  }
  return name + ":" + (tag.empty() ? "latest" : tag);
}

class DockerArchiveSink : public Sink {
 public:
  DockerArchiveSink(Reference ref, WriteOptions opts)
      : ref_(std::move(ref)), opts_(std::move(opts)) {}

  WriteResult write(const oci::Artifact& a) override {
    oci::Artifact one;
    one.image = a.select("");
    prefetch_blobs(one, opts_);
    std::vector<std::string> tags = sink_tags(ref_, opts_, "");
    if (!opts_.default_name.empty()) {
      if (tags.empty()) tags.push_back("latest");
      for (auto& t : tags) t = docker_repo_tag(opts_.default_name, t);
    }
    if (is_stdout(ref_)) {
      StdoutSink out;
      oci::write_docker_archive(out, {{one.image, tags}});
    } else {
      oci::write_docker_archive(ref_.path, {{one.image, tags}});
    }
    return {one.image->digest(), ""};
  }

 private:
  Reference ref_;
  WriteOptions opts_;
};

}  // namespace

std::unique_ptr<Sink> docker_archive_sink(const Reference& ref, const WriteOptions& opts) {
  return std::make_unique<DockerArchiveSink>(ref, opts);
}

}  // namespace distill::transport
