#include "image/builder.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "image/arch.h"
#include "image/config.h"
#include "image/generated.h"
#include "image/layer_jobs.h"
#include "image/layer_plan.h"
#include "image/selection.h"
#include "oci/docker_archive.h"
#include "oci/layout.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace distill {

std::vector<BuiltLayer> run_layer_jobs(const std::vector<LayerJob>& jobs, const std::string& dir,
                                       int workers) {
  std::vector<BuiltLayer> out(jobs.size());
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex mu;
  auto work = [&] {
    for (size_t i; (i = next++) < jobs.size();) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (error) return;
      }
      try {
        out[i] = jobs[i].run(dir);
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

std::vector<BuiltImage> build_images(const Definition& def, const BuildOptions& opts,
                                     const std::string& dir, std::vector<std::string>* explain) {
  std::vector<std::string> arches = opts.architectures;
  if (arches.empty()) arches = def.architectures;
  if (arches.empty()) arches = {host_debian_arch()};

  std::vector<BuiltImage> images;
  PackageSelector selector(def, opts.source);
  for (const auto& arch : arches) {
    oci::Platform platform = platform_for_debian_arch(arch);
    LayerPlan plan;
    plan_generated(def, arch, plan);
    if (explain) {
      for (const auto& line : plan.describe()) explain->push_back(arch + ": " + line);
    }
    LayerJobs planned = plan_layer_jobs(def, arch, plan, selector, opts.layers, explain);
    const std::vector<LayerJob>& jobs = planned.jobs;
    if (jobs.empty()) {
      throw Error(def.path +
                  ": the definition produces an empty image (no packages, files, "
                  "directories or symlinks)");
    }
    BuiltImage img;
    img.arch = arch;
    img.layers = run_layer_jobs(jobs, dir, opts.jobs);
    std::vector<std::string> names;
    for (const auto& j : jobs) names.push_back(j.name);
    check_package_paths(img.layers, names);
    std::vector<oci::LayerPtr> layers;
    std::vector<std::string> diff_ids;
    for (size_t i = 0; i < jobs.size(); ++i) {
      img.layer_names.push_back(jobs[i].name);
      layers.push_back(img.layers[i].layer);
      diff_ids.push_back(img.layers[i].layer->diff_id());
    }
    std::string config =
        render_config(with_version_env(def.config, planned.versions), platform, diff_ids);
    std::string manifest = oci::make_manifest(config, layers, def.config.annotations);
    img.image = std::make_shared<oci::MemoryImage>(manifest, config, layers);
    images.push_back(std::move(img));
  }
  return images;
}

namespace {

std::string docker_repo_tag(const Definition& def, const std::string& tag) {
  if (tag.find(':') != std::string::npos && tag.find('/', tag.rfind(':')) == std::string::npos) {
    return tag;
  }
  if (tag.find(':') == std::string::npos && !tag.empty() && tag.find('/') != std::string::npos) {
    return tag + ":latest";
  }
  std::string name = def.name.empty() ? "distill" : def.name;
  return name + ":" + (tag.empty() ? "latest" : tag);
}

}  // namespace

BuildResult build(const Definition& def, const BuildOptions& opts) {
  if (opts.output.empty()) throw Error("no output given (use -o OUT)");
  std::vector<std::string> tags = opts.tags;
  if (tags.empty()) tags.push_back("latest");
  BuildResult result;
  std::vector<std::string>* explain = opts.explain ? &result.explanation : nullptr;

  if (opts.format == "oci") {
    oci::OciLayoutWriter writer(opts.output);
    result.images = build_images(def, opts, writer.staging_dir(), explain);
    oci::Descriptor top;
    std::vector<oci::ImagePtr> imgs;
    for (auto& img : result.images) {
      for (auto& l : img.layers) {
        // Arch-independent packages give the same blob for every arch.
        if (writer.has_blob(l.layer->descriptor().digest)) continue;
        writer.adopt_blob(l.layer->path(), l.layer->descriptor().digest);
      }
    }
    // Layers now live in blobs/; re-point the images at them.
    for (auto& img : result.images) {
      std::vector<oci::LayerPtr> layers;
      for (auto& l : img.layers) {
        auto d = l.layer->descriptor();
        std::string path = join_path(writer.staging_dir(), "blobs/sha256/" + d.digest.substr(7));
        l.layer = std::make_shared<oci::FileLayer>(path, d, l.layer->diff_id());
        layers.push_back(l.layer);
      }
      img.image = std::make_shared<oci::MemoryImage>(img.image->raw_manifest(),
                                                     img.image->raw_config(), layers);
      imgs.push_back(img.image);
    }
    if (imgs.size() == 1) {
      top = writer.write_image(*imgs[0]);
    } else {
      top = writer.write_index(*oci::make_index(imgs));
    }
    for (const auto& t : tags) writer.tag(top, t);
    writer.commit();
    result.digest = top.digest;
  } else if (opts.format == "docker-archive") {
    make_dirs(parent_dir(absolute_path(opts.output)));
    TempDir work(parent_dir(absolute_path(opts.output)), "distill-build");
    result.images = build_images(def, opts, work.path(), explain);
    if (result.images.size() != 1) {
      throw Error(
          "a docker-archive holds one platform; build one --arch at a time or use --format oci");
    }
    std::vector<std::string> repo_tags;
    for (const auto& t : tags) repo_tags.push_back(docker_repo_tag(def, t));
    oci::write_docker_archive(opts.output, {{result.images[0].image, repo_tags}});
    result.digest = result.images[0].image->digest();
  } else {
    throw Error("unknown --format '" + opts.format + "' (expected oci or docker-archive)");
  }
  return result;
}

}  // namespace distill
