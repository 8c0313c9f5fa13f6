#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "app/app_image.h"
#include "archive/compress.h"
#include "cli/app_flags.h"
#include "cli/build_checks.h"
#include "cli/build_outputs.h"
#include "cli/cache_flags.h"
#include "cli/commands.h"
#include "cli/flag_checks.h"
#include "cli/limit_flags.h"
#include "cli/registry_flags.h"
#include "cli/source_flags.h"
#include "debian/archive.h"
#include "debian/deb_file.h"
#include "debian/lockfile.h"
#include "image/arch.h"
#include "image/builder.h"
#include "image/definition.h"
#include "image/layer_cache.h"
#include "image/selection.h"
#include "image/variant.h"
#include "inspect/gates.h"
#include "registry/reference.h"
#include "transport/transport.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/strings.h"

namespace distill::cli {

namespace {

struct BuildArgs {
  std::string definition;
  std::string output;
  std::string format = "oci";
  std::vector<std::string> tags;
  std::string epoch;
  std::string compression = "gzip";
  int level = -1;
  std::string arch;
  std::string platform;  // --platform, mapped to Debian architectures
  int jobs = 2;
  bool explain = false;
  bool json = false;
  std::string lock;
  SourceFlags source;
  std::string push;  // docker://HOST/REPO:TAG, "" = no push
  RegistryFlags push_registry;
  LimitFlags limits;
  AppFlags app;            // --from, --app, ...
  std::string sbom_dir;    // --sbom DIR, "" = none
  std::string provenance;  // --provenance FILE, "" = none
  CacheFlags cache;        // --cache-from, --cache-to, --cache-read-only, --cache-*
};

std::string comma_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

// The options that shape the image, for the provenance statement (not
// where it is written: two builds into different outputs give one statement).
std::map<std::string, std::string> image_flags(const BuildArgs& a, const BuildOptions& o) {
  std::map<std::string, std::string> f;
  f["compression"] = a.compression;
  if (a.level >= 0) f["compression-level"] = std::to_string(a.level);
  f["format"] = a.format;
  f["source-date-epoch"] = std::to_string(o.layers.mtime);
  if (!a.lock.empty()) f["lock"] = a.lock;
  if (!a.source.mirror.empty()) f["mirror"] = a.source.mirror;
  if (!a.source.security_mirror.empty()) f["security-mirror"] = a.source.security_mirror;
  if (!a.source.snapshot.empty()) f["snapshot"] = a.source.snapshot;
  if (!a.source.suites.empty()) f["suites"] = a.source.suites;
  if (a.source.offline) f["offline"] = "true";
  if (a.source.insecure) f["insecure-skip-signatures"] = "true";
  if (!a.tags.empty()) f["tag"] = comma_list(a.tags);
  return f;
}

int64_t parse_epoch(const std::string& text, const std::string& what) {
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end || v < 0)
    throw Error(what + " must be a non-negative integer, not '" + text + "'");
  return v;
}

BuildOptions build_options(const BuildArgs& a) {
  BuildOptions o;
  // Blobs are written beside the output, so the final rename stays on one
  // filesystem; with --push alone run_build gives a temporary directory.
  if (!a.output.empty()) o.work_dir = parent_dir(absolute_path(a.output));
  if (!a.epoch.empty()) {
    o.layers.mtime = parse_epoch(a.epoch, "--source-date-epoch");
  } else if (const char* env = std::getenv("SOURCE_DATE_EPOCH"); env && *env) {
    o.layers.mtime = parse_epoch(env, "SOURCE_DATE_EPOCH");
  }
  o.layers.blob.compression = parse_compression(a.compression);
  o.layers.blob.level = a.level;
  o.architectures = split_list(a.arch);
  if (!a.platform.empty()) {
    o.architectures.clear();
    for (const auto& p : split_list(a.platform))
      o.architectures.push_back(debian_arch_for_platform_text(p));
  }
  o.jobs = std::max(1, a.jobs);
  o.explain = a.explain;
  o.source = source_options(a.source);
  o.source.lock_file = a.lock;
  // A lock names its architectures; --arch or --platform narrow them.
  if (o.architectures.empty() && !a.lock.empty()) {
    for (const auto& [arch, pkgs] : debian::read_lockfile(a.lock).packages)
      o.architectures.push_back(arch);
  }
  o.layers.limits = parse_limit_flags(a.limits);
  return o;
}

// The registry (HOST[:PORT]) a --push reference names.
std::string push_registry(const transport::Reference& push) {
  return registry::parse_image_ref(push.path).registry;
}

// `to` is stdout, or stderr when the image itself streams to stdout (-o -).
// --explain's entries are results too: on `to`, before the digest.
void print_result(const BuildArgs& a, const BuildResult& r, std::FILE* to) {
  if (a.json) {
    nlohmann::json j;
    j["digest"] = r.digest;
    if (!a.output.empty()) j["output"] = a.output;
    j["format"] = a.format;
    if (a.explain) {
      j["explain"] = nlohmann::json::array();
      for (const auto& e : r.explanation)
        j["explain"].push_back({{"arch", e.arch}, {"item", e.item}, {"reason", e.reason}});
    }
    j["images"] = nlohmann::json::array();
    for (const auto& img : r.images) {
      uint64_t compressed = 0, uncompressed = 0;
      for (const auto& l : img.layers) {
        compressed += static_cast<uint64_t>(l.layer->descriptor().size);
        uncompressed += l.uncompressed_size;
      }
      j["images"].push_back({{"arch", img.arch},
                             {"digest", img.image->digest()},
                             {"layers", img.layers.size()},
                             {"compressed_size", compressed},
                             {"uncompressed_size", uncompressed}});
    }
    LayerCacheCounts layers = layer_cache_counts();
    j["work"] = {{"layer_cache_hits", layers.hits},
                 {"layer_cache_remote_hits", layers.remote_hits},
                 {"layer_cache_misses", layers.misses},
                 {"debs_fetched", debs_fetched()},
                 {"debs_opened", debian::debs_opened()},
                 {"indices_decoded", debian::indices_decoded()},
                 {"signatures_verified", debian::signatures_verified()}};
    std::fprintf(to, "%s\n", j.dump(2).c_str());
  } else {
    for (const auto& e : r.explanation) std::fprintf(to, "%s\n", e.line().c_str());
    for (const auto& img : r.images) {
      uint64_t compressed = 0;
      for (const auto& l : img.layers)
        compressed += static_cast<uint64_t>(l.layer->descriptor().size);
      log_info(img.arch + ": " + img.image->digest() + "  " + std::to_string(img.layers.size()) +
               " layers, " + human_size(compressed) + " compressed");
    }
    LayerCacheCounts layers = layer_cache_counts();
    log_verbose("layer cache: " + std::to_string(layers.hits) + " hits, " +
                std::to_string(layers.remote_hits) + " from a registry cache, " +
                std::to_string(layers.misses) + " misses; " + std::to_string(debs_fetched()) +
                " .debs fetched, " + std::to_string(debian::debs_opened()) + " .debs opened, " +
                std::to_string(debian::indices_decoded()) + " indices decoded, " +
                std::to_string(debian::signatures_verified()) + " signatures checked");
    std::fprintf(to, "%s\n", r.digest.c_str());
  }
}

// The definition to build: the argument (NAME[:VARIANT] or a file), or for
// --from and the app flags an app image on top of BASE (app/app_image.h).
// `variant` is the one to tag the result with, `explain` gets the
// --from auto choice (logged as well, as it decides the whole image).
Definition build_definition(const BuildArgs& a, std::string& variant,
                            std::vector<std::string>& explain) {
  if (a.definition.empty() == a.app.from.empty()) {
    throw Error(a.definition.empty()
                    ? "build needs a definition (a family name or a .yaml file) or --from BASE"
                    : "give the definition '" + a.definition + "' or --from " + a.app.from +
                          ", not both");
  }
  if (a.app.from.empty() && !a.app.any()) {
    VariantName vn = split_variant(a.definition);
    Definition def = load_definition(vn.base, default_image_dirs());
    apply_variant(def, vn.variant);
    variant = vn.variant;
    return def;
  }
  std::string base = a.app.from.empty() ? a.definition : a.app.from;
  BuildOptions opts = build_options(a);
  app::AppRequest req = app_request(a.app, base, opts.architectures);
  req.source = opts.source;
  app::AppImage img = app::app_definition(req, default_image_dirs());
  for (const auto& line : img.explain) log_info(line);
  explain = img.explain;
  variant = img.variant;
  return img.def;
}

void run_build(const BuildArgs& a) {
  std::string variant;
  std::vector<std::string> chosen;
  Definition def = build_definition(a, variant, chosen);
  // A usage error (exit 2, as CLI11's own), thrown from the parse callback.
  if (a.output.empty() && a.push.empty())
    throw CLI::ValidationError(
        "build needs somewhere to put the image: -o OUT (a layout, an archive, or - for "
        "stdout) or --push docker://HOST/REPO:TAG");
  std::optional<transport::Reference> out;
  if (!a.output.empty()) {
    out = transport::make_reference(a.format, a.output);
    transport::check_writable(*out);  // `-o -`: before the work, not after
  }
  std::optional<transport::Reference> push;
  if (!a.push.empty()) {
    push = transport::parse_reference(a.push);
    if (push->kind() != "docker")
      throw Error("--push needs a docker://HOST/REPO:TAG reference, not '" + a.push + "'");
  }
  BuildOptions opts = build_options(a);
  // --push without -o: the blobs live in a temporary directory (removed on
  // exit and on Ctrl-C) only until the registry has them.
  std::optional<TempDir> push_only;
  if (!out) {
    push_only.emplace("", "distill-push");
    opts.work_dir = push_only->path();
  }
  CacheStores caches(a.cache, a.source.timeout);
  opts.stores = caches.stores();
  BuildResult r = build(def, opts);
  if (a.explain) {
    // The --from auto and entrypoint choices come first: "ITEM: REASON",
    // for every architecture.
    std::vector<Explained> first;
    for (const auto& line : chosen) {
      size_t colon = line.find(": ");
      if (colon == std::string::npos)
        first.push_back({"all", "app", line});
      else
        first.push_back({"all", line.substr(0, colon), line.substr(colon + 2)});
    }
    r.explanation.insert(r.explanation.begin(), first.begin(), first.end());
  }
  if (out && r.artifact.index && !out->transport->holds_index) {
    throw Error("a " + a.format +
                " holds one platform; build one --arch at a time or use "
                "--format oci");
  }
  check_built_images(
      def, r,
      source_options(a.source).cache_dir);  // throws, and nothing is written, when a check fails
  transport::WriteOptions w;
  w.tags = a.tags;
  // Family variants are tagged like the reference: latest, nonroot, debug...
  if (w.tags.empty() && !variant.empty()) w.tags.push_back(variant);
  w.default_name = def.name.empty() ? "distill" : def.name;
  if (out) transport::write(*out, r.artifact, w);
  std::vector<std::string> sboms;
  if (!a.sbom_dir.empty())
    sboms = write_build_sboms(a.sbom_dir, w.default_name, r, opts.layers.mtime);
  if (!a.provenance.empty()) {
    std::map<std::string, std::string> flags = image_flags(a, opts);
    std::vector<std::string> arches;
    for (const auto& img : r.images) arches.push_back(img.arch);
    flags["arch"] = comma_list(arches);
    write_provenance(a.provenance, def, r,
                     ProvenanceArgs{a.definition, a.lock, flags, opts.layers.mtime});
  }
  // The SBOMs and provenance go beside the image, as OCI referrers, where
  // the destination keeps them (a layout, a registry; not an archive).
  bool attach = !sboms.empty() || !a.provenance.empty();
  if (attach && out) {
    if (auto store = transport::open_referrers(*out))
      attach_build_outputs(*store, r, sboms, a.provenance, a.output);
  }
  print_result(a, r, out && transport::is_stdout(*out) ? stderr : stdout);
  if (push) {
    transport::WriteOptions p;
    p.registry = registry_options(a.push_registry, "");
    p.registry.timeout_seconds = a.source.timeout;
    // Layers a cache repository on the push's registry holds are mounted
    // from there, not uploaded.
    if (!opts.stores.empty()) {
      std::vector<oci::LayerPtr> layers;
      for (const auto& img : r.images)
        for (const auto& l : img.layers) layers.push_back(l.layer);
      p.registry.mount_from = caches.mount_hints(layers, push_registry(*push));
    }
    transport::WriteResult st = transport::write(*push, r.artifact, p);
    log_info("pushed " + a.push.substr(9) + " (" + st.digest + "): " + st.summary);
    if (attach)
      attach_build_outputs(*transport::open_referrers(*push, p.registry), r, sboms, a.provenance,
                           a.push.substr(9));
  }
}

}  // namespace

void add_build_command(CLI::App& app) {
  auto a = std::make_shared<BuildArgs>();
  CLI::App* cmd = app.add_subcommand(
      "build",
      "Build an image from a definition (a family name such as 'static', or a YAML file).\n"
      "The output appears complete or not at all: it is written beside OUT and renamed.\n"
      "Identical inputs give a bit-identical image (same manifest digest).");
  cmd->add_option("definition", a->definition,
                  "Family image name (see 'distill images') or path to a .yaml definition "
                  "(or --from BASE)");
  cmd->add_option("-o,--output", a->output,
                  "Output path: an OCI layout directory, or an oci-archive or docker-archive file; "
                  "- streams an oci-archive or docker-archive to stdout (the digest then goes "
                  "to stderr). May be left out with --push: the image then goes only to the "
                  "registry");
  cmd->add_option("--format", a->format, "oci (default), oci-archive or docker-archive")
      ->check(CLI::IsMember({"oci", "oci-archive", "docker-archive"}));
  cmd->add_option("-t,--tag", a->tags,
                  "Tag to give the image (repeatable). In an OCI layout this is the ref.name; an "
                  "existing layout keeps its other tags. Default: latest")
      ->check(tag_name("--tag"));
  cmd->add_option("--source-date-epoch", a->epoch,
                  "mtime for generated files (default: $SOURCE_DATE_EPOCH, else 0)");
  cmd->add_option("--compression", a->compression,
                  "Layer compression: gzip (default), zstd or none")
      ->check(CLI::IsMember({"gzip", "zstd", "none"}));
  cmd->add_option("--compression-level", a->level, "Compressor level (gzip 1-9, zstd 1-19)")
      ->check(compression_level("--compression-level", &a->compression));
  CLI::Option* arch = cmd->add_option(
      "--arch", a->arch,
      "Debian architectures, comma separated (amd64,arm64,armhf,s390x,ppc64el,riscv64), or "
      "all (the image's published ones); several give an image index. Default: the host's");
  cmd->add_option("--platform", a->platform,
                  "The same as OCI platforms, comma separated: linux/amd64, linux/arm64[/v8], "
                  "linux/arm/v7 (armhf), linux/s390x, linux/ppc64le (ppc64el), linux/riscv64")
      ->excludes(arch);
  cmd->add_option("-j,--jobs", a->jobs, "Layers built in parallel (default 2)")
      ->check(int_range("--jobs", 1, 64));
  cmd->add_flag("--explain", a->explain,
                "Print why each package and file is in the image: the definition's "
                "file:line that asked for it, through from: chains (with --json: \"explain\")");
  add_limit_flags(cmd, a->limits, false);
  cmd->add_flag("--json", a->json, "Print the result as JSON");
  cmd->add_option("--lock", a->lock,
                  "Install exactly the packages pinned in this lockfile, for every architecture "
                  "it has unless --arch or --platform narrows them");
  add_source_flags(cmd, a->source, "Never use the network; fail if the cache lacks something",
                   "Network timeout in seconds: a mirror or --push registry that does not "
                   "connect, or sends nothing, for this long fails the transfer (after 3 "
                   "retries). Default 15 s to connect, 30 s stalled");
  cmd->add_option("--sbom", a->sbom_dir,
                  "Also write an SBOM of each platform into DIR: ARCH.spdx.json (SPDX 2.3) and "
                  "ARCH.cdx.json (CycloneDX 1.6), with each .deb's SHA-256 and download URL, "
                  "the upstream: tarballs and files: (created = SOURCE_DATE_EPOCH). With an oci "
                  "output or --push, each is also attached to its image as an OCI referrer");
  cmd->add_option("--provenance", a->provenance,
                  "Also write the build's SLSA v1 provenance, an in-toto Statement, to FILE: the "
                  "definition, the lock, the flags, and every .deb, tarball and InRelease with "
                  "its URI and SHA-256 (attached like --sbom's files)");
  cmd->add_option("--push", a->push,
                  "After a successful build, push the result to docker://HOST/REPO:TAG");
  add_registry_flags(cmd, a->push_registry, RegistryFlagSet::kPush);
  add_cache_flags(cmd, a->cache);
  add_app_flags(cmd, a->app);
  cmd->footer(
      help_footer("  distill build static -o out/static\n"
                  "  distill build base --arch amd64,arm64 -o out/base -t latest\n"
                  "  distill build app.yaml --format docker-archive -o app.tar -t app:1.0\n"
                  "  distill build app.yaml --format docker-archive -o - | podman load\n"
                  "  distill build --from static --app ./hello -o out/hello\n"
                  "  distill build --from auto --app server.py --user 65532 -o out/server",
                  "  " + std::to_string(inspect::kGateExitStatus) +
                      " an image breaks the definition's budget: (each breach is one line on "
                      "stderr; no output is written)\n"));
  cmd->callback([a] { run_build(*a); });
}

}  // namespace distill::cli
