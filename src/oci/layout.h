// OCI image layout directories (image-layout spec): oci-layout, index.json
// and blobs/sha256/<hex>. Tags are index.json entries annotated with
// org.opencontainers.image.ref.name, as skopeo and umoci expect.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "oci/image.h"

namespace distill {
class TempDir;
}

namespace distill::oci {

bool is_oci_layout(const std::string& dir);

class OciLayout {
 public:
  // Reads and checks oci-layout and index.json; blobs are read lazily.
  explicit OciLayout(std::string dir);

  const std::string& dir() const { return dir_; }
  const std::vector<Descriptor>& entries() const { return entries_; }
  std::vector<std::string> tags() const;
  // Resolves a tag (ref.name); "" means the only entry. Errors list the tags.
  Artifact resolve(const std::string& tag) const;
  Artifact load(const Descriptor& d) const;
  std::string blob_path(const std::string& digest) const;
  std::string read_blob(const Descriptor& d) const;  // small JSON blobs, verified

 private:
  ImagePtr load_image(const Descriptor& d) const;
  IndexPtr load_index(const Descriptor& d, int depth) const;
  std::string dir_;
  std::vector<Descriptor> entries_;
};

// Writes into an OCI layout. An existing layout at `target` is kept: its
// blobs are hard-linked into a staging directory beside it, new blobs and
// index.json are added there, and commit() swaps the two atomically.
class OciLayoutWriter {
 public:
  explicit OciLayoutWriter(const std::string& target);
  ~OciLayoutWriter();
  OciLayoutWriter(const OciLayoutWriter&) = delete;
  OciLayoutWriter& operator=(const OciLayoutWriter&) = delete;

  // Where blobs may be placed directly (stage a file, then adopt_blob()).
  std::string staging_dir() const;
  bool has_blob(const std::string& digest) const;
  // Copies a blob from `src`, verifying it against `d`. No-op if present.
  void write_blob(const Descriptor& d, ByteSource& src);
  void write_blob(const Descriptor& d, const std::string& bytes);
  // Moves a finished file (same filesystem) into blobs/ under its digest.
  void adopt_blob(const std::string& file, const std::string& digest);
  // Writes layers, config and manifest; returns the manifest descriptor.
  Descriptor write_image(const Image& image);
  // Writes every image of the index and the index itself.
  Descriptor write_index(const Index& index);
  // Points `ref_name` at `d` in index.json, replacing an entry of that name.
  void tag(Descriptor d, const std::string& ref_name);
  void commit();

 private:
  std::string target_;
  std::unique_ptr<TempDir> stage_dir_;  // locked, so a killed build's is found stale
  std::string stage_;
  std::vector<Descriptor> entries_;
};

}  // namespace distill::oci
