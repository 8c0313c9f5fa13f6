// `distill attach REF FILE...`: documents (SBOMs, provenance, any file with
// --artifact-type) attached to an existing image as OCI referrers.
#include <cstdio>

#include "cli/commands.h"
#include "cli/registry_flags.h"
#include "inspect/open_image.h"
#include "oci/referrers.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace distill::cli {

namespace {

struct AttachArgs {
  std::string reference;
  std::vector<std::string> files;
  std::string artifact_type;
  std::string platform;
  RegistryFlags registry;
};

oci::Attachment attachment_for(const std::string& path, const std::string& forced) {
  oci::Attachment a;
  a.content = read_file(path);
  a.title = path.substr(path.rfind('/') + 1);
  a.artifact_type = forced.empty() ? oci::sniff_artifact_type(a.content) : forced;
  if (a.artifact_type.empty())
    throw Error(path +
                " is neither SPDX JSON, CycloneDX JSON nor an in-toto statement; name its media "
                "type with --artifact-type (e.g. application/vnd.example+json)");
  return a;
}

// The descriptor of what `t` names: the picked platform's image with
// --platform, else the reference's own manifest (an index or an image).
oci::Descriptor subject_of(const inspect::Target& t, bool platform) {
  if (platform || !t.artifact.index) return t.image->descriptor();
  oci::Descriptor d;
  d.media_type = t.artifact.index->media_type();
  d.digest = t.artifact.index->digest();
  d.size = static_cast<int64_t>(t.artifact.index->raw_index().size());
  return d;
}

void run_attach(const AttachArgs& a) {
  std::vector<oci::Attachment> items;
  for (const auto& f : a.files) items.push_back(attachment_for(f, a.artifact_type));
  registry::RegistryOptions registry = registry_options(a.registry, "");
  inspect::Target t = inspect::open_target(a.reference, a.platform, registry);
  auto store = transport::open_referrers(t.ref, registry);
  if (!store)
    throw Error("a " + t.ref.kind() + " keeps no attached artifacts; attach to an oci: layout " +
                "or a docker:// image (distill copy it there first)");
  oci::Descriptor subject = subject_of(t, !a.platform.empty());
  std::string where = store->attach(subject, items);
  for (size_t i = 0; i < items.size(); ++i) {
    oci::ArtifactManifest m = oci::make_artifact(subject, items[i]);
    std::printf("%s\n", m.descriptor.digest.c_str());
    log_info("attached " + a.files[i] + " (" + items[i].artifact_type + ") to " + subject.digest +
             " (" + where + ")");
  }
}

}  // namespace

void add_attach_command(CLI::App& app) {
  auto a = std::make_shared<AttachArgs>();
  CLI::App* cmd = app.add_subcommand(
      "attach",
      "Attach documents to an existing image as OCI referrers: for each FILE an artifact\n"
      "manifest whose subject is the image, whose artifactType is the file's media type\n"
      "(SPDX, CycloneDX and in-toto JSON are recognised; else --artifact-type) and whose one\n"
      "layer is the file, unchanged. A registry gets them through the referrers API, or the\n"
      "sha256-HEX tag where it has none; an OCI layout lists them in index.json.\n"
      "Prints each artifact manifest's digest.");
  cmd->add_option("reference", a->reference, "Image reference: oci:DIR[:TAG] or docker://...")
      ->required();
  cmd->add_option("files", a->files, "Files to attach")->required();
  cmd->add_option("--artifact-type", a->artifact_type,
                  "Media type of every FILE (default: from its content)");
  cmd->add_option("--platform", a->platform,
                  "Attach to this platform's image of an index (default: the index itself)");
  add_registry_flags(cmd, a->registry, RegistryFlagSet::kRead);
  cmd->footer(
      help_footer("  distill attach oci:out/base:latest base.spdx.json base.intoto.json\n"
                  "  distill attach docker://127.0.0.1:5000/app:1 --platform linux/arm64 "
                  "arm64.cdx.json\n"
                  "  distill attach docker://127.0.0.1:5000/app:1 scan.json --artifact-type "
                  "application/vnd.example.scan+json"));
  cmd->callback([a] { run_attach(*a); });
}

}  // namespace distill::cli
