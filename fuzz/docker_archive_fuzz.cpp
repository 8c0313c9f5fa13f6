// docker-archive reader: manifest.json, configs, RepoTags and layer members.
//
// One input holds members separated by kDocSep: manifest.json first, then
// "NAME\n" followed by the member's content. The harness writes them as a
// tar, so the fuzzer spends its time on the JSON and the cross-references
// rather than on tar header checksums (layer_fuzz covers the tar reader).
#include <memory>

#include "archive/tar_writer.h"
#include "fuzz_util.h"
#include "oci/docker_archive.h"
#include "util/error.h"

namespace {

constexpr std::string_view kDocSep = "\n--8<--\n";

void write_archive(const std::string& path, std::string_view input) {
  auto parts = distill::fuzz::split(input, kDocSep, 16);
  distill::StringSink sink;
  distill::TarWriter tar(sink);
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string name = "manifest.json";
    std::string_view content = parts[i];
    if (i > 0) {
      size_t nl = content.find('\n');
      name = std::string(content.substr(0, nl));
      content = nl == std::string_view::npos ? std::string_view() : content.substr(nl + 1);
    }
    distill::TarEntry e;
    e.path = name;
    e.size = content.size();
    try {
      tar.add(e, content);
    } catch (const distill::Error&) {
      // A name the writer refuses (empty, "..") is simply left out.
    }
  }
  tar.finish();
  distill::fuzz::write_file(path, sink.data());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static distill::fuzz::ScratchDir dir;
  const std::string path = dir.path() + "/image.tar";
  write_archive(path, distill::fuzz::as_text(data, size));
  try {
    distill::oci::DockerArchive archive(path);
    for (size_t i = 0; i < archive.size(); ++i) {
      for (const auto& tag : archive.repo_tags(i)) archive.image(tag);
    }
    distill::oci::ImagePtr image = archive.image("");
    distill::oci::validate_image(*image, "image");
    image->platform();
    for (const auto& layer : image->layers()) {
      auto tar = layer->open_tar();
      char buf[1 << 14];
      while (tar->read(buf, sizeof buf) > 0) {
      }
    }
    archive.image("fuzz:latest");
  } catch (const distill::Error&) {
  }
  return 0;
}
