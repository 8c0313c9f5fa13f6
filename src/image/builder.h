// distill build: definition in, image out. Per architecture, every layer is
// an independent job (one per package, one for generated files) run on a
// small thread pool; results are assembled in definition order so the
// output never depends on scheduling.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "image/build_inputs.h"
#include "image/build_options.h"
#include "image/definition.h"
#include "image/layer_blob.h"
#include "image/layer_job.h"
#include "image/layer_store.h"
#include "oci/image.h"

namespace distill {

class TempDir;

struct BuildOptions {
  // Where the build's temporary blob directory is made: put it on the
  // output's filesystem so the layout sink can hard-link the blobs ("" = $TMPDIR).
  std::string work_dir;
  LayerOptions layers;                     // compression, mtime, size limits
  SourceOptions source;                    // Debian archive access (packages:)
  std::vector<std::string> architectures;  // overrides the definition
  int jobs = 2;                            // layers built in parallel
  bool explain = false;
  // Shared layer stores asked after the local layer cache and filled with
  // the layers built (--cache-from, --cache-to; image/layer_store.h).
  LayerStores stores;
};

struct BuiltImage {
  std::string arch;  // Debian name
  oci::ImagePtr image;
  std::vector<std::string> layer_names;
  std::vector<BuiltLayer> layers;
  BuildInputs inputs;  // the .debs, tarballs and files it was made from
};

struct BuildResult {
  std::string digest;      // of the artifact: its manifest, or its index for several arches
  oci::Artifact artifact;  // an image, or an index of one image per arch
  std::vector<BuiltImage> images;
  std::vector<Explained> explanation;  // --explain entries
  // The signed InRelease files the packages were resolved against (those
  // read this build; a build from a lock reads none: the lock lists them).
  std::vector<debian::LockedRelease> releases;
  // Holds the layer blobs (sealed oci::FileLayers) until the result is dropped.
  std::shared_ptr<TempDir> blobs;
};

// Builds the image(s) of `def` and returns them; writes no output (a sink
// does: transport::write). Nothing outside the temporary directory is touched.
BuildResult build(const Definition& def, const BuildOptions& opts);

// Thrown by build_images when opts.source.speculate_releases is set and an
// InRelease it went ahead with has changed on the mirror: what it built may
// come from old indices. build() catches it and builds again without
// speculation. (A mirror that did not answer is that request's error.)
struct ReleasesChanged : std::runtime_error {
  ReleasesChanged() : std::runtime_error("a Release changed on the mirror during the build") {}
};

// Builds the images (no output written) into blobs under `dir`.
// `releases`, when set, gets the InRelease files the selector read.
std::vector<BuiltImage> build_images(const Definition& def, const BuildOptions& opts,
                                     const std::string& dir, std::vector<Explained>* explain,
                                     std::vector<debian::LockedRelease>* releases = nullptr);

// Two packages must not give one path different types (a directory in one,
// a symlink in the next), nor put a member under another's symlink or file:
// the later layer would silently replace or write through the earlier one.
// `names` label the layers; layers without `paths` (generated) are skipped.
void check_package_paths(const std::vector<BuiltLayer>& layers,
                         const std::vector<std::string>& names);

// Runs jobs on `workers` threads; results keep the jobs' order. The first
// failure is rethrown after all workers stop. Jobs with run_on_below run
// after the others, in order, each given the layers before it.
std::vector<BuiltLayer> run_layer_jobs(const std::vector<LayerJob>& jobs, const std::string& dir,
                                       int workers);

}  // namespace distill
