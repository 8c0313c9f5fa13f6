// Image references and the one place that maps them to readers and writers.
// The same syntax in every command:
//   oci:DIR[:TAG]                   an OCI image layout (TAG = ref.name)
//   oci-archive:FILE[:TAG]          a tar of an OCI image layout
//   docker-archive:FILE[:NAME:TAG]  `docker save` format
//   docker://HOST/REPO[:TAG|@DIGEST]
//   scratch                         the empty image
//   PATH[:TAG]                      a directory is an OCI layout, a file an
//                                   oci-archive or a docker-archive
// Each kind is a Transport: a source (open) and a sink (make_sink) in their
// own files under src/transport/, registered in the table in transport.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "oci/image.h"
#include "oci/referrers.h"
#include "registry/options.h"

namespace distill::transport {

struct Transport;

struct Reference {
  const Transport* transport = nullptr;
  std::string path;  // layout dir or archive file; registry: HOST/REPO[:TAG|@DIGEST]
  std::string tag;   // ref.name, NAME:TAG in a docker-archive; "" = the default
  std::string text;  // as given, for messages

  const std::string& kind() const;  // the transport's name: "oci", "docker", ...
};

struct OpenOptions {
  registry::RegistryOptions registry;
  oci::Platform scratch_platform{"linux", "amd64", ""};  // what `scratch` is
};

struct WriteOptions {
  registry::RegistryOptions registry;
  // Names to give what is written, besides the reference's own tag: ref.names
  // in a layout, NAME:TAG in a docker-archive. Registries take theirs from
  // the reference only.
  std::vector<std::string> tags;
  // docker-archive: the repository of tags that lack one ("distill" for
  // builds of unnamed definitions). "" = store tags as given.
  std::string default_name;
};

struct WriteResult {
  std::string digest;   // of what the reference now points to
  std::string summary;  // one line for the log ("pushed 3 blobs ..."), may be empty
};

// A destination: writes one artifact completely or not at all.
class Sink {
 public:
  virtual ~Sink() = default;
  // Writes `artifact` (its blobs verified as they stream) and commits.
  virtual WriteResult write(const oci::Artifact& artifact) = 0;
};

// One artifact attached to an image (an OCI referrer, oci/referrers.h).
struct Attached {
  oci::Descriptor manifest;  // the artifact manifest; artifact_type says what it carries
  std::string source;        // where it was found: "referrers API", "tag sha256-…", "index.json"
};

// Where a kind of reference keeps artifacts attached to its images: a
// registry (referrers API, else the tag schema, and cosign's tags for
// reading), an OCI layout (untagged index.json entries, as oras keeps them).
class ReferrerStore {
 public:
  virtual ~ReferrerStore() = default;
  // The artifacts attached to the manifest whose digest is `subject`.
  virtual std::vector<Attached> list(const std::string& subject) = 0;
  // The document `a` carries (its one layer), verified against its digest.
  virtual std::string document(const Attached& a) = 0;
  // Attaches each item to `subject` (a manifest or index descriptor of an
  // image stored there) and commits; returns where they went, for the log
  // ("tag sha256-…", "index.json").
  virtual std::string attach(const oci::Descriptor& subject,
                             const std::vector<oci::Attachment>& items) = 0;
};

struct Transport {
  std::string name;    // "oci", "oci-archive", "docker-archive", "docker", "scratch"
  std::string prefix;  // "oci:", "docker://", ... ("" for scratch)
  bool path_tag;       // the rest is PATH[:TAG]
  bool holds_index;    // can store a multi-platform index
  // Opens the reference for reading (blobs are read when used).
  oci::Artifact (*open)(const Reference& ref, const OpenOptions& opts);
  // A sink for the reference; throws if the kind cannot be written.
  std::unique_ptr<Sink> (*make_sink)(const Reference& ref, const WriteOptions& opts);
  // The tags stored at the reference's path (ref.names, RepoTags, a
  // registry repository's tags); the reference's own tag is ignored.
  std::vector<std::string> (*tags)(const Reference& ref, const OpenOptions& opts);
  // Its attached artifacts; null for kinds that keep none (archives, scratch).
  std::unique_ptr<ReferrerStore> (*referrers)(const Reference& ref,
                                              const registry::RegistryOptions& opts);
};

// Parses `text`; errors list the accepted forms.
Reference parse_reference(const std::string& text);
// The reference of kind `name` (a transport name) at `path`, no tag parsing
// (for `build -o PATH --format NAME`).
Reference make_reference(const std::string& name, const std::string& path);
// The transport names, for help texts and --format checks.
std::vector<std::string> transport_names();

// True for `-`, the path of an archive streamed to stdout (`-o -`,
// docker-archive:-, oci-archive:-).
bool is_stdout(const Reference& ref);
// Throws unless `ref` can be written now: a `-` must name an archive kind
// (a layout is a directory) and stdout must not be a terminal. write() checks
// this too; build calls it before the work starts. For stdout it also
// ignores SIGPIPE, so a reader that quits makes the write an Error.
void check_writable(const Reference& ref);

oci::Artifact open(const Reference& ref, const OpenOptions& opts = {});
// The referrer store at `ref`'s path or repository; null when its kind keeps
// none (the caller says so, or reads the image instead).
std::unique_ptr<ReferrerStore> open_referrers(const Reference& ref,
                                              const registry::RegistryOptions& opts = {});
// `distill ls`: the transport's tags() for `ref`.
std::vector<std::string> list_tags(const Reference& ref, const OpenOptions& opts = {});
WriteResult write(const Reference& ref, const oci::Artifact& artifact,
                  const WriteOptions& opts = {});

// The empty image: no layers, a config for `platform`.
oci::ImagePtr scratch_image(const oci::Platform& platform = {"linux", "amd64", ""});

}  // namespace distill::transport
