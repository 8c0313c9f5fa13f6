#include "cli/registry_flags.h"

#include "cli/flag_checks.h"
#include "oci/reference.h"
#include "registry/open.h"
#include "util/error.h"
#include "util/log.h"

namespace distill::cli {

void add_registry_flags(CLI::App* cmd, RegistryFlags& f, bool two_sides,
                        const std::string& prefix) {
  cmd->add_option("--" + prefix + "creds", f.creds,
                  "Registry credentials USER:PASSWORD (default: REGISTRY_AUTH_FILE, "
                  "$XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json)");
  if (two_sides) {
    cmd->add_option("--src-creds", f.src_creds, "Credentials USER:PASSWORD for the source only");
    cmd->add_option("--dest-creds", f.dest_creds,
                    "Credentials USER:PASSWORD for the destination only");
  }
  cmd->add_option("--" + prefix + "ca-cert", f.ca_cert,
                  "Trust this CA bundle (PEM) for registries, besides the system store");
  cmd->add_flag("--" + prefix + "insecure", f.insecure,
                "Allow plain http or unverified https registries (test registries only)");
  if (prefix.empty()) {
    cmd->add_option("--parallel", f.parallel, "Blobs transferred at a time, 1-4 (default 3)")
        ->check(int_range("--parallel", 1, 4));
    cmd->add_option("--chunk-size", f.chunk_size,
                    "Upload blobs larger than this many bytes in chunks of that size "
                    "(default 0: one request per blob)")
        ->check(byte_count("--chunk-size"));
  }
}

registry::RegistryOptions registry_options(const RegistryFlags& f, const std::string& side) {
  registry::RegistryOptions o;
  std::string creds = f.creds;
  std::string flag = "--creds";
  if (side == "src" && !f.src_creds.empty()) {
    creds = f.src_creds;
    flag = "--src-creds";
  } else if (side == "dest" && !f.dest_creds.empty()) {
    creds = f.dest_creds;
    flag = "--dest-creds";
  }
  if (!creds.empty()) o.credential = registry::parse_creds_flag(creds, flag);
  o.ca_cert = f.ca_cert;
  o.insecure = f.insecure;
  o.parallel = f.parallel;
  o.chunk_size = f.chunk_size;
  return o;
}

void add_push_flags(CLI::App* cmd, PushFlags& f) {
  cmd->add_option("--push", f.dest,
                  "After a successful build, push the result to docker://HOST/REPO:TAG");
  add_registry_flags(cmd, f.registry, false, "push-");
}

void push_build_output(const PushFlags& f, const std::string& output, const std::string& format,
                       const std::vector<std::string>& tags) {
  if (f.dest.rfind("docker://", 0) != 0)
    throw Error("--push needs a docker://HOST/REPO:TAG reference, not '" + f.dest + "'");
  oci::Reference src;
  src.kind = format == "docker-archive" ? oci::Reference::Kind::kDockerArchive
                                        : oci::Reference::Kind::kOciLayout;
  src.path = output;
  if (src.kind == oci::Reference::Kind::kOciLayout) src.tag = tags.empty() ? "latest" : tags[0];
  src.text = output;
  oci::Artifact a = oci::open_local(src);
  registry::PushStats st = registry::push_artifact(a, f.dest, registry_options(f.registry, ""));
  log_info("pushed " + f.dest.substr(9) + " (" + st.digest + "): " + std::to_string(st.uploaded) +
           " blobs uploaded, " + std::to_string(st.skipped + st.mounted) + " already there");
}

}  // namespace distill::cli
