// distill copy SRC DST: images and indexes between OCI layouts,
// docker-archives and registries, digests preserved.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flag_checks.h"
#include "cli/registry_flags.h"
#include "oci/docker_archive.h"
#include "oci/layout.h"
#include "oci/reference.h"
#include "registry/open.h"
#include "util/error.h"
#include "util/log.h"
#include "util/sha256.h"

namespace distill::cli {

namespace {

struct CopyArgs {
  std::string src;
  std::string dst;
  std::string platform;
  std::vector<std::string> tags;
  RegistryFlags registry;
  bool json = false;
};

oci::Artifact open_source(const oci::Reference& ref, const CopyArgs& a) {
  if (ref.kind == oci::Reference::Kind::kRegistry)
    return registry::open_registry(ref.text, registry_options(a.registry, "src"));
  return oci::open_local(ref);
}

void run_copy(const CopyArgs& a) {
  oci::Reference src = oci::parse_reference(a.src);
  oci::Reference dst = oci::parse_reference(a.dst);
  if (dst.kind == oci::Reference::Kind::kScratch) throw Error("cannot copy to 'scratch'");
  oci::Artifact art = open_source(src, a);
  if (art.index && !a.platform.empty()) {
    art.image = art.select(a.platform);
    art.index = nullptr;
  }
  if (dst.kind != oci::Reference::Kind::kRegistry && src.kind == oci::Reference::Kind::kRegistry) {
    // Fetch all layers in parallel up front; the writers then read files.
    oci::Artifact fetch = art;
    if (dst.kind == oci::Reference::Kind::kDockerArchive && fetch.index) {
      fetch.image = fetch.select("");
      fetch.index = nullptr;
    }
    registry::prefetch(fetch, registry_options(a.registry, "src"));
  }
  std::string digest;
  switch (dst.kind) {
    case oci::Reference::Kind::kOciLayout: {
      oci::OciLayoutWriter w(dst.path);
      oci::Descriptor d = art.index ? w.write_index(*art.index) : w.write_image(*art.image);
      std::vector<std::string> tags = a.tags;
      if (tags.empty()) tags.push_back(dst.tag.empty() ? "latest" : dst.tag);
      for (const auto& t : tags) w.tag(d, t);
      w.commit();
      digest = d.digest;
      break;
    }
    case oci::Reference::Kind::kDockerArchive: {
      oci::ImagePtr img = art.select("");
      std::vector<std::string> tags = a.tags;
      if (tags.empty() && !dst.tag.empty()) tags.push_back(dst.tag);
      oci::write_docker_archive(dst.path, {{img, tags}});
      digest = img->digest();
      break;
    }
    case oci::Reference::Kind::kRegistry: {
      if (!a.tags.empty())
        throw Error("-t/--tag applies to oci: destinations; put the tag in " + dst.text);
      registry::PushStats st =
          registry::push_artifact(art, dst.text, registry_options(a.registry, "dest"));
      log_info("pushed " + std::to_string(st.uploaded) + " blobs (" + human_size(st.bytes) + "), " +
               std::to_string(st.skipped) + " already present, " + std::to_string(st.mounted) +
               " mounted");
      digest = st.digest;
      break;
    }
    case oci::Reference::Kind::kScratch:
      break;
  }
  if (a.json) {
    nlohmann::json j{
        {"source", a.src},
        {"destination", a.dst},
        {"digest", digest},
        {"media_type", art.index ? art.index->media_type() : art.image->manifest_media_type()}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s\n", digest.c_str());
  }
}

}  // namespace

void add_copy_command(CLI::App& app) {
  auto a = std::make_shared<CopyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "copy",
      "Copy an image or a multi-platform index between OCI layouts, docker-archives and\n"
      "registries. Manifests are copied byte for byte, so digests stay the same (except\n"
      "into a docker-archive, which stores one platform and uncompressed layers). Every\n"
      "blob read from a registry is checked against its digest.");
  cmd->add_option("source", a->src, "Image to read (oci:, docker-archive:, docker://, a path)")
      ->required();
  cmd->add_option("destination", a->dst, "Where to write it (oci:, docker-archive:, docker://)")
      ->required();
  cmd->add_option("--platform", a->platform,
                  "Copy only this platform of an index (OS/ARCH[/VARIANT], e.g. linux/arm64)");
  cmd->add_option("-t,--tag", a->tags,
                  "Tag (ref.name) in an oci: destination, or NAME:TAG in a docker-archive "
                  "(repeatable)")
      ->check(tag_name("--tag"));
  add_registry_flags(cmd, a->registry, true);
  cmd->add_flag("--json", a->json, "Print the result as JSON");
  cmd->footer(help_footer(
      "  distill copy oci:out/base docker://registry.example:5000/base:1\n"
      "  distill copy docker://127.0.0.1:5000/base:1 oci:pulled --insecure\n"
      "  distill copy docker://ghcr.io/org/app:1 docker-archive:app.tar --platform linux/arm64\n"
      "\nREGISTRY CONFIGURATION\n"
      "  $DISTILL_REGISTRIES_CONFIG or ~/.config/distill/registries.yaml may set, per registry\n"
      "  host[:port], 'insecure: true' or 'ca-cert: FILE'.\n"));
  cmd->callback([a] { run_copy(*a); });
}

}  // namespace distill::cli
