#include "cli/read_flags.h"

#include <cstdio>

#include "transport/transport.h"
#include "util/error.h"

namespace distill::cli {

void add_read_args(CLI::App* cmd, ReadArgs& a, const std::string& what, bool platform) {
  cmd->add_option("reference", a.reference, what)->required();
  if (platform) {
    cmd->add_option("--platform", a.platform,
                    "Platform to pick from an index (OS/ARCH[/VARIANT], e.g. linux/arm64)");
  }
  add_registry_flags(cmd, a.registry, RegistryFlagSet::kRead);
}

oci::Artifact open_read(const ReadArgs& a) {
  transport::OpenOptions opts;
  opts.registry = registry_options(a.registry, "");
  return transport::open(transport::parse_reference(a.reference), opts);
}

oci::ImagePtr pick_image(const oci::Artifact& art, const std::string& platform,
                         const std::string& reference) {
  if (art.index || platform.empty()) return art.select(platform);
  oci::Platform want = oci::parse_platform(platform);
  oci::Platform have = art.image->platform();
  if (want.os != have.os || want.architecture != have.architecture ||
      (!want.variant.empty() && want.variant != have.variant)) {
    throw Error(reference + " is a single image for " + have.to_string() + ", not " + platform);
  }
  return art.image;
}

void write_stdout(const std::string& bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() ||
      std::fflush(stdout) != 0) {
    throw Error("cannot write to stdout");
  }
}

}  // namespace distill::cli
