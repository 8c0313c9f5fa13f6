#include "image/builder.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "image/arch.h"
#include "image/config.h"
#include "image/generated.h"
#include "image/layer_cache.h"
#include "image/layer_jobs.h"
#include "image/layer_plan.h"
#include "image/selection.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace distill {

std::vector<BuiltLayer> run_layer_jobs(const std::vector<LayerJob>& jobs, const std::string& dir,
                                       int workers) {
  std::vector<BuiltLayer> out(jobs.size());
  // One row per layer being written and one for them all, on the display
  // the downloads use (util/log.h).
  auto layer_label = [&](size_t i) {
    return "layer " + std::to_string(i + 1) + "/" + std::to_string(jobs.size()) + " " +
           jobs[i].name;
  };
  Progress all("layers", 0);
  // Longest first: a big layer begun last would run alone on its cores at
  // the end; begun first, the small ones fill its gaps. Ties stay in order.
  std::vector<size_t> order(jobs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return jobs[a].cost > jobs[b].cost; });
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex mu;
  auto work = [&] {
    for (size_t k; (k = next++) < jobs.size();) {
      size_t i = order[k];
      if (!jobs[i].run) continue;  // run_on_below: after the others
      {
        std::lock_guard<std::mutex> lock(mu);
        if (error) return;
      }
      try {
        Progress row(layer_label(i), 0);
        out[i] = jobs[i].run(dir);
        row.done(out[i].uncompressed_size);
        all.add(out[i].uncompressed_size);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
        return;
      }
    }
  };
  int n = std::max(1, std::min<int>(workers, static_cast<int>(jobs.size())));
  std::vector<std::thread> threads;
  for (int t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (jobs[i].run) continue;
    std::vector<BuiltLayer> below(out.begin(), out.begin() + static_cast<ptrdiff_t>(i));
    Progress row(layer_label(i), 0);
    out[i] = jobs[i].run_on_below(dir, below);
    row.done(out[i].uncompressed_size);
    all.add(out[i].uncompressed_size);
  }
  all.done();
  return out;
}

void check_package_paths(const std::vector<BuiltLayer>& layers,
                         const std::vector<std::string>& names) {
  struct Owner {
    TarEntry::Type type;
    size_t layer;
  };
  std::unordered_map<std::string, Owner> owners;
  for (size_t i = 0; i < layers.size(); ++i) {
    for (const auto& [path, type] : layers[i].paths) {
      for (size_t slash = path.find('/'); slash != std::string::npos;
           slash = path.find('/', slash + 1)) {
        auto it = owners.find(path.substr(0, slash));
        if (it == owners.end() || it->second.type == TarEntry::Type::kDirectory) continue;
        throw Error(names[i] + ": /" + escape_name(path) + " lies under /" +
                    escape_name(it->first) + ", a " + type_name(it->second.type) + " in " +
                    names[it->second.layer]);
      }
      auto [it, fresh] = owners.emplace(path, Owner{type, i});
      if (!fresh && it->second.type != type) {
        throw Error(names[i] + ": /" + escape_name(path) + " is a " + type_name(type) + " but " +
                    names[it->second.layer] + " installs it as a " + type_name(it->second.type));
      }
    }
  }
}

namespace {

// One attempt at every architecture's image (build_images).
std::vector<BuiltImage> build_arches(const Definition& def, const BuildOptions& opts,
                                     const std::string& dir, std::vector<Explained>* explain,
                                     const std::vector<std::string>& arches,
                                     PackageSelector& selector) {
  std::vector<BuiltImage> images;
  for (const auto& arch : arches) {
    oci::Platform platform = platform_for_debian_arch(arch);
    GeneratedFiles plan;
    plan_generated(def, arch, plan);
    if (explain) {
      for (auto& [item, reason] : plan.describe()) explain->push_back({arch, item, reason});
    }
    LayerJobs planned =
        plan_layer_jobs(def, arch, plan, selector, opts.layers, explain, &opts.source);
    const std::vector<LayerJob>& jobs = planned.jobs;
    if (jobs.empty()) {
      throw Error(def.path +
                  ": the definition produces an empty image (no packages, files, "
                  "directories or symlinks)");
    }
    // The layer caches first: only the .debs of layers none has are fetched.
    use_layer_cache(planned.jobs, planned.blob, opts.source.cache_dir, opts.stores,
                    planned.debs.get());
    BuiltImage img;
    img.arch = arch;
    img.layers = run_layer_jobs(jobs, dir, opts.jobs);
    std::vector<std::string> names;
    for (const auto& j : jobs) names.push_back(j.name);
    check_package_paths(img.layers, names);
    std::vector<oci::LayerPtr> layers;
    std::vector<std::string> diff_ids, history;
    for (size_t i = 0; i < jobs.size(); ++i) {
      img.layer_names.push_back(jobs[i].name);
      layers.push_back(img.layers[i].layer);
      diff_ids.push_back(img.layers[i].layer->diff_id());
      history.push_back(jobs[i].description);
    }
    ImageConfigSpec spec =
        with_version_env(def.config, planned.versions, planned.upstream_versions);
    std::string config = render_config(spec, platform, diff_ids, history);
    std::string manifest = oci::make_manifest(config, layers, spec.annotations);
    img.image = std::make_shared<oci::MemoryImage>(manifest, config, layers);
    img.inputs = std::move(planned.inputs);
    images.push_back(std::move(img));
  }
  return images;
}

BuildResult build_once(const Definition& def, const BuildOptions& opts) {
  BuildResult result;
  std::vector<Explained>* explain = opts.explain ? &result.explanation : nullptr;
  if (!opts.work_dir.empty()) make_dirs(opts.work_dir);
  result.blobs = std::make_shared<TempDir>(opts.work_dir, "distill-build");
  result.images = build_images(def, opts, result.blobs->path(), explain, &result.releases);
  std::vector<oci::ImagePtr> imgs;
  for (auto& img : result.images) {
    // The blobs are ours and final: sinks may hard-link them (see FileLayer).
    std::vector<oci::LayerPtr> layers;
    for (auto& l : img.layers) {
      l.layer = std::make_shared<oci::FileLayer>(l.layer->path(), l.layer->descriptor(),
                                                 l.layer->diff_id(), true);
      layers.push_back(l.layer);
    }
    img.image = std::make_shared<oci::MemoryImage>(img.image->raw_manifest(),
                                                   img.image->raw_config(), layers);
    imgs.push_back(img.image);
  }
  if (imgs.size() == 1) {
    result.artifact.image = imgs[0];
    result.digest = imgs[0]->digest();
  } else {
    result.artifact.index = oci::make_index(imgs);
    result.digest = result.artifact.index->digest();
  }
  return result;
}

}  // namespace

std::vector<BuiltImage> build_images(const Definition& def, const BuildOptions& opts,
                                     const std::string& dir, std::vector<Explained>* explain,
                                     std::vector<debian::LockedRelease>* releases) {
  std::vector<std::string> arches = build_architectures(def, opts.architectures);

  std::vector<BuiltImage> images;
  PackageSelector selector(def, opts.source);
  // Speculation: nothing built is handed on until the Releases it came from
  // are confirmed; a failure may be the old indices' fault, so it waits too.
  auto confirm = [&] {
    if (!selector.confirm_releases()) throw ReleasesChanged();
  };
  try {
    images = build_arches(def, opts, dir, explain, arches, selector);
  } catch (...) {
    confirm();
    throw;
  }
  confirm();
  if (releases) *releases = selector.releases();
  return images;
}

BuildResult build(const Definition& def, const BuildOptions& opts) {
  if (opts.source.network == Network::kOffline) return build_once(def, opts);
  BuildOptions first = opts;
  first.source.speculate_releases = true;
  try {
    return build_once(def, first);
  } catch (const ReleasesChanged&) {
    log_verbose("building again, with the Release files the mirror serves now");
  }
  return build_once(def, opts);
}

}  // namespace distill
