// oci-archive:FILE[:TAG] for writing: an OCI image layout as one tar (no
// compression), written beside FILE and renamed into place. An existing
// oci-archive is replaced whole, as skopeo does; other files are refused.
#include <set>

#include "archive/tar_writer.h"
#include "oci/layout.h"
#include "transport/transports.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill::transport {

namespace {

TarEntry entry(const std::string& name, TarEntry::Type type, uint64_t size) {
  TarEntry e;
  e.path = name;
  e.type = type;
  e.mode = type == TarEntry::Type::kDirectory ? 0755 : 0644;
  e.size = size;
  return e;
}

// Adds each blob once, under the layout's name for its digest.
class BlobTar {
 public:
  explicit BlobTar(TarWriter& tar) : tar_(tar) {}
  void add(const std::string& bytes) {
    std::string name = oci::layout_blob_path(sha256_digest(bytes));
    if (seen_.insert(name).second)
      tar_.add(entry(name, TarEntry::Type::kFile, bytes.size()), bytes);
  }
  // Streams the layer's blob, verified against its descriptor as it goes.
  void add(const oci::Layer& layer) {
    oci::Descriptor d = layer.descriptor();
    std::string name = oci::layout_blob_path(d.digest);
    if (!seen_.insert(name).second) return;
    auto src = layer.open_blob();
    tar_.add(entry(name, TarEntry::Type::kFile, static_cast<uint64_t>(d.size)), src.get());
    char probe;
    src->read(&probe, 1);  // reach EOF so the digest is checked
  }
  void add(const oci::Image& image) {
    for (const auto& l : image.layers()) add(*l);
    add(image.raw_config());
    add(image.raw_manifest());
  }

 private:
  TarWriter& tar_;
  std::set<std::string> seen_;
};

// The layout's members as one tar on `out`; returns the descriptor the
// tags point to.
oci::Descriptor write_layout_tar(ByteSink& out, const oci::Artifact& a,
                                 const std::vector<std::string>& tags) {
  TarWriter tar(out);
  std::string layout = oci::layout_version_file();
  tar.add(entry("oci-layout", TarEntry::Type::kFile, layout.size()), layout);
  tar.add(entry("blobs", TarEntry::Type::kDirectory, 0));
  tar.add(entry("blobs/sha256", TarEntry::Type::kDirectory, 0));
  BlobTar blobs(tar);
  oci::Descriptor top;
  if (a.index) {
    for (const auto& e : a.index->manifests()) {
      if (!e.image)
        throw Error("cannot write index entry " + e.descriptor.digest + ": not an image");
      blobs.add(*e.image);
    }
    std::string raw = a.index->raw_index();
    blobs.add(raw);
    top.media_type = a.index->media_type();
    top.digest = sha256_digest(raw);
    top.size = static_cast<int64_t>(raw.size());
  } else {
    blobs.add(*a.image);
    top = a.image->descriptor();
  }
  std::vector<oci::Descriptor> entries;
  for (const auto& t : tags) {
    oci::Descriptor d = top;
    d.annotations[oci::kRefNameAnnotation] = t;
    entries.push_back(d);
  }
  std::string index = oci::layout_index_json(entries);
  tar.add(entry("index.json", TarEntry::Type::kFile, index.size()), index);
  tar.finish();
  return top;
}

class OciArchiveSink : public Sink {
 public:
  OciArchiveSink(Reference ref, WriteOptions opts) : ref_(std::move(ref)), opts_(std::move(opts)) {}
  WriteResult write(const oci::Artifact& a) override;

 private:
  Reference ref_;
  WriteOptions opts_;
};

WriteResult OciArchiveSink::write(const oci::Artifact& a) {
  const std::string& path = ref_.path;
  std::vector<std::string> tags = sink_tags(ref_, opts_, "latest");
  if (is_stdout(ref_)) {
    prefetch_blobs(a, opts_);
    StdoutSink out;
    return {write_layout_tar(out, a, tags).digest, ""};
  }
  if (is_directory(path))
    throw Error(path + " is a directory; refusing to overwrite it with an oci-archive");
  if (path_exists(path) && !is_oci_archive_path(path))
    throw Error(path + " exists and is not an oci-archive; refusing to overwrite it");
  prefetch_blobs(a, opts_);
  make_dirs(parent_dir(absolute_path(path)));
  AtomicOutput out(path, false);
  FileSink file(out.path());
  oci::Descriptor top = write_layout_tar(file, a, tags);
  file.finish();
  out.commit();
  return {top.digest, ""};
}

}  // namespace

std::unique_ptr<Sink> oci_archive_sink(const Reference& ref, const WriteOptions& opts) {
  return std::make_unique<OciArchiveSink>(ref, opts);
}

}  // namespace distill::transport
