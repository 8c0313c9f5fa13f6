#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "archive/compress.h"
#include "cli/commands.h"
#include "cli/limit_flags.h"
#include "cli/registry_flags.h"
#include "image/builder.h"
#include "image/definition.h"
#include "image/variant.h"
#include "util/error.h"
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
  int jobs = 2;
  bool explain = false;
  bool json = false;
  std::string lock;
  std::string cache_dir;
  std::string mirror;
  bool offline = false;
  bool insecure = false;
  long timeout = 0;
  PushFlags push;
  LimitFlags limits;
};

int64_t parse_epoch(const std::string& text, const std::string& what) {
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end || v < 0)
    throw Error(what + " must be a non-negative integer, not '" + text + "'");
  return v;
}

void run_build(const BuildArgs& a) {
  VariantName vn = split_variant(a.definition);
  Definition def = load_definition(vn.base, default_image_dirs());
  apply_variant(def, vn.variant);
  BuildOptions o;
  o.output = a.output;
  o.format = a.format;
  o.tags = a.tags;
  // Family variants are tagged like the reference: latest, nonroot, debug...
  if (o.tags.empty() && !vn.variant.empty()) o.tags.push_back(vn.variant);
  if (!a.epoch.empty()) {
    o.mtime = parse_epoch(a.epoch, "--source-date-epoch");
  } else if (const char* env = std::getenv("SOURCE_DATE_EPOCH"); env && *env) {
    o.mtime = parse_epoch(env, "SOURCE_DATE_EPOCH");
  }
  o.layer.compression = parse_compression(a.compression);
  o.layer.level = a.level;
  o.architectures = split_list(a.arch);
  o.jobs = std::max(1, a.jobs);
  o.explain = a.explain;
  o.lock_file = a.lock;
  o.cache_dir = a.cache_dir;
  o.mirror = a.mirror;
  o.offline = a.offline;
  o.insecure_skip_signatures = a.insecure;
  o.net_timeout_seconds = a.timeout;
  o.limits = parse_limit_flags(a.limits);
  BuildResult r = build(def, o);
  for (const auto& line : r.explanation) std::fprintf(stderr, "%s\n", line.c_str());
  if (a.json) {
    nlohmann::json j;
    j["digest"] = r.digest;
    j["output"] = a.output;
    j["format"] = a.format;
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
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    for (const auto& img : r.images) {
      uint64_t compressed = 0;
      for (const auto& l : img.layers)
        compressed += static_cast<uint64_t>(l.layer->descriptor().size);
      log_info(img.arch + ": " + img.image->digest() + "  " + std::to_string(img.layers.size()) +
               " layers, " + human_size(compressed) + " compressed");
    }
    std::printf("%s\n", r.digest.c_str());
  }
  if (!a.push.dest.empty()) push_build_output(a.push, a.output, a.format, a.tags);
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
                  "Family image name (see 'distill images') or path to a .yaml definition")
      ->required();
  cmd->add_option("-o,--output", a->output,
                  "Output path: an OCI layout directory or a docker-archive file")
      ->required();
  cmd->add_option("--format", a->format, "oci (default) or docker-archive")
      ->check(CLI::IsMember({"oci", "docker-archive"}));
  cmd->add_option("-t,--tag", a->tags,
                  "Tag to give the image (repeatable). In an OCI layout this is the ref.name; an "
                  "existing layout keeps its other tags. Default: latest");
  cmd->add_option("--source-date-epoch", a->epoch,
                  "mtime for generated files (default: $SOURCE_DATE_EPOCH, else 0)");
  cmd->add_option("--compression", a->compression,
                  "Layer compression: gzip (default), zstd or none")
      ->check(CLI::IsMember({"gzip", "zstd", "none"}));
  cmd->add_option("--compression-level", a->level, "Compressor level (gzip 1-9, zstd 1-19)");
  cmd->add_option(
      "--arch", a->arch,
      "Debian architectures, comma separated (amd64,arm64,armhf,s390x,ppc64el); several "
      "give an image index");
  cmd->add_option("-j,--jobs", a->jobs, "Layers built in parallel (default 2)");
  cmd->add_flag("--explain", a->explain, "Show why each package and file is in the image");
  add_limit_flags(cmd, a->limits, false);
  cmd->add_flag("--json", a->json, "Print the result as JSON");
  cmd->add_option("--lock", a->lock, "Install exactly the packages pinned in this lockfile");
  cmd->add_option("--cache-dir", a->cache_dir, "Package cache (default $XDG_CACHE_HOME/distill)");
  cmd->add_option("--mirror", a->mirror, "Debian mirror URI, replacing the host's apt sources");
  cmd->add_flag("--offline", a->offline,
                "Never use the network; fail if the cache lacks something");
  cmd->add_option("--timeout", a->timeout,
                  "Network timeout in seconds: a mirror that does not connect, or sends nothing, "
                  "for this long fails the transfer (after 3 retries). Default 15 s to connect, "
                  "30 s stalled")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--insecure-skip-signatures", a->insecure,
                "Do not verify repository signatures (local test repositories only)");
  add_push_flags(cmd, a->push);
  cmd->footer(
      help_footer("  distill build static -o out/static\n"
                  "  distill build base --arch amd64,arm64 -o out/base -t latest\n"
                  "  distill build app.yaml --format docker-archive -o app.tar -t app:1.0"));
  cmd->callback([a] { run_build(*a); });
}

}  // namespace distill::cli
