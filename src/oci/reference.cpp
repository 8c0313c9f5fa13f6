#include "oci/reference.h"

#include "oci/docker_archive.h"
#include "oci/layout.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::oci {

namespace {

// "PATH:TAG" where PATH exists; a path that exists as given wins.
void split_path_tag(const std::string& rest, Reference& r) {
  if (path_exists(rest) || rest.find(':') == std::string::npos) {
    r.path = rest;
    return;
  }
  size_t colon = rest.find(':');
  r.path = rest.substr(0, colon);
  r.tag = rest.substr(colon + 1);
}

}  // namespace

Reference parse_reference(const std::string& text) {
  Reference r;
  r.text = text;
  if (text.empty()) throw Error("empty image reference");
  if (text == "scratch") {
    r.kind = Reference::Kind::kScratch;
  } else if (text.starts_with("oci:")) {
    r.kind = Reference::Kind::kOciLayout;
    split_path_tag(text.substr(4), r);
  } else if (text.starts_with("docker-archive:")) {
    r.kind = Reference::Kind::kDockerArchive;
    split_path_tag(text.substr(15), r);
  } else if (text.starts_with("docker://")) {
    r.kind = Reference::Kind::kRegistry;
    r.path = text.substr(9);
    if (r.path.empty()) throw Error("empty registry reference in '" + text + "'");
  } else if (text.find("://") != std::string::npos ||
             (text.find(':') != std::string::npos && !path_exists(text) &&
              !path_exists(text.substr(0, text.find(':'))))) {
    throw Error("cannot understand image reference '" + text +
                "' (use oci:DIR[:TAG], docker-archive:FILE, docker://HOST/REPO:TAG or a path)");
  } else {
    split_path_tag(text, r);
    r.kind = is_directory(r.path) ? Reference::Kind::kOciLayout : Reference::Kind::kDockerArchive;
  }
  if (r.path.empty() && r.kind != Reference::Kind::kScratch) {
    throw Error("image reference '" + text + "' names no path");
  }
  return r;
}

Artifact open_local(const Reference& ref) {
  Artifact a;
  switch (ref.kind) {
    case Reference::Kind::kScratch:
      a.image = scratch_image();
      return a;
    case Reference::Kind::kOciLayout: {
      if (!path_exists(ref.path)) throw Error(ref.path + ": no such OCI image layout");
      OciLayout layout(ref.path);
      return layout.resolve(ref.tag);
    }
    case Reference::Kind::kDockerArchive: {
      if (!path_exists(ref.path)) throw Error(ref.path + ": no such docker-archive file");
      DockerArchive archive(ref.path);
      a.image = archive.image(ref.tag);
      return a;
    }
    case Reference::Kind::kRegistry:
      break;
  }
  throw Error("internal: " + ref.text + " is not a local reference");
}

ImagePtr scratch_image(const Platform& platform) {
  nlohmann::json c;
  c["architecture"] = platform.architecture;
  c["os"] = platform.os;
  c["config"] = nlohmann::json::object();
  c["rootfs"] = {{"type", "layers"}, {"diff_ids", nlohmann::json::array()}};
  std::string config = c.dump();
  return std::make_shared<MemoryImage>(make_manifest(config, {}), config, std::vector<LayerPtr>{});
}

}  // namespace distill::oci
