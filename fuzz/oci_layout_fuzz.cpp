// OCI layout reader: index.json, nested indexes, manifests and configs, and
// the checks made on them (digests, sizes, diff_ids, platforms).
//
// One input holds several documents separated by kDocSep: index.json first,
// then blobs. A document may name a later one as {{dN}} (its "sha256:..."
// digest) and {{sN}} (its size), so the fuzzer can build valid references
// without computing hashes; blobs are written under their real digests.
#include <string>

#include "fuzz_util.h"
#include "oci/layout.h"
#include "util/error.h"
#include "util/sha256.h"

namespace {

constexpr std::string_view kDocSep = "\n--8<--\n";
constexpr size_t kMaxDocs = 8;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
    s.replace(at, from.size(), to);
}

void exercise(const distill::oci::ImagePtr& image) {
  if (!image) return;
  distill::oci::validate_image(*image, "image");
  image->platform();
  image->manifest_media_type();
  for (const auto& layer : image->layers()) {
    layer->descriptor();
    layer->diff_id();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static distill::fuzz::ScratchDir dir;
  dir.clear();
  auto parts = distill::fuzz::split(distill::fuzz::as_text(data, size), kDocSep, kMaxDocs);
  // Resolve references back to front: a document only names later ones.
  std::vector<std::string> docs(parts.begin(), parts.end());
  std::vector<std::string> digests(docs.size());
  for (size_t i = docs.size(); i-- > 0;) {
    for (size_t j = i + 1; j < docs.size(); ++j) {
      replace_all(docs[i], "{{d" + std::to_string(j) + "}}", digests[j]);
      replace_all(docs[i], "{{s" + std::to_string(j) + "}}", std::to_string(docs[j].size()));
    }
    digests[i] = distill::sha256_digest(docs[i]);
  }
  const std::string& root = dir.path();
  std::filesystem::create_directories(root + "/blobs/sha256");
  distill::fuzz::write_file(root + "/oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
  distill::fuzz::write_file(root + "/index.json", docs[0]);
  for (size_t i = 1; i < docs.size(); ++i) {
    distill::fuzz::write_file(root + "/blobs/sha256/" + digests[i].substr(7), docs[i]);
  }
  try {
    distill::oci::OciLayout layout(root);
    layout.tags();
    for (const auto& entry : layout.entries()) {
      try {
        distill::oci::Artifact a = layout.load(entry);
        exercise(a.image);
        if (a.index) {
          a.index->media_type();
          for (const auto& m : a.index->manifests()) exercise(m.image);
        }
        exercise(a.select(""));
      } catch (const distill::Error&) {
      }
    }
    layout.resolve("");
  } catch (const distill::Error&) {
  }
  return 0;
}
