// OCI image layout directories (image-layout spec): oci-layout, index.json
// and blobs/sha256/<hex>. Tags are index.json entries annotated with
// org.opencontainers.image.ref.name, as skopeo and umoci expect.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "oci/image.h"

namespace distill {
class TempDir;
}

namespace distill::oci {

bool is_oci_layout(const std::string& dir);

// The layout format, shared with oci-archive (a tar of a layout):
// "blobs/sha256/<hex>" for a digest, the oci-layout file's content, and
// index.json's parse and serialisation.
std::string layout_blob_path(const std::string& digest);
std::string layout_version_file();
// `where` names the index in messages (e.g. "out/index.json").
std::vector<Descriptor> parse_layout_index(const std::string& raw, const std::string& where);
void check_layout_version(const std::string& raw, const std::string& where);
std::string layout_index_json(const std::vector<Descriptor>& entries);
// The entry tagged `tag` (ref.name); "" means the only image entry (attached
// artifacts do not count), else "latest". Errors name `where` and list the tags.
Descriptor resolve_layout_tag(const std::vector<Descriptor>& entries, const std::string& tag,
                              const std::string& where);

struct RemovedBlob {
  std::string digest;
  uint64_t size = 0;
};

struct GcResult {
  std::vector<RemovedBlob> removed;  // sorted by digest
  uint64_t bytes = 0;
};

// Removes (or with `dry_run` only lists) the blobs of the layout at `dir`
// that none of `roots` (index.json's entries) reaches through indexes and
// manifests. Throws, removing nothing, when a reachable index or manifest
// is missing, since what it reaches cannot then be known.
GcResult collect_layout_garbage(const std::string& dir, const std::vector<Descriptor>& roots,
                                bool dry_run);
// The digests `roots` reach in the layout at `dir` (themselves included),
// through indexes, manifests and subjects. Throws as collect_layout_garbage.
std::set<std::string> layout_reachable(const std::string& dir,
                                       const std::vector<Descriptor>& roots);

// Whether an index.json entry is an attached artifact (it has an
// artifactType), not an image a tag names.
bool is_attached_entry(const Descriptor& d);

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
  // The artifacts index.json keeps beside the images whose subject is the
  // manifest `subject` (a digest), in index.json's order.
  std::vector<Descriptor> referrers(const std::string& subject) const;

 private:
  std::string dir_;
  std::vector<Descriptor> entries_;
};

// Writes into an OCI layout. An existing layout at `target` is kept: its
// blobs are hard-linked into a staging directory beside it, new blobs and
// index.json are added there, blobs no entry reaches any more are dropped
// from the stage, and commit() swaps the two atomically. The layout's
// directories get the umask's modes (0755 under umask 022).
class OciLayoutWriter {
 public:
  explicit OciLayoutWriter(const std::string& target);
  ~OciLayoutWriter();
  OciLayoutWriter(const OciLayoutWriter&) = delete;
  OciLayoutWriter& operator=(const OciLayoutWriter&) = delete;

  bool has_blob(const std::string& digest) const;
  // Copies a blob from `src`, verifying it against `d`. No-op if present.
  void write_blob(const Descriptor& d, ByteSource& src);
  void write_blob(const Descriptor& d, const std::string& bytes);
  // Writes layers, config and manifest; returns the manifest descriptor.
  // Sealed file layers (oci::FileLayer) are hard-linked, not copied.
  Descriptor write_image(const Image& image);
  // Writes every image of the index and the index itself.
  Descriptor write_index(const Index& index);
  // Points `ref_name` at `d` in index.json, replacing an entry of that name.
  void tag(Descriptor d, const std::string& ref_name);
  // Writes the artifact manifest `raw` (described by `d`, which carries its
  // artifactType) and its document, and lists it in index.json untagged,
  // as oras does, unless it is there. commit() drops attached entries whose
  // subject no image entry reaches any more (the image was rebuilt).
  void attach(const Descriptor& d, const std::string& raw, const Descriptor& blob,
              const std::string& content);
  void commit();

 private:
  void write_layer(const Layer& layer);
  void drop_orphaned_artifacts();
  // Moves a finished file (same filesystem) into blobs/ under its digest.
  void adopt_blob(const std::string& file, const std::string& digest);
  std::string target_;
  std::unique_ptr<TempDir> stage_dir_;  // locked, so a killed build's is found stale
  std::string stage_;
  std::vector<Descriptor> entries_;
};

}  // namespace distill::oci
