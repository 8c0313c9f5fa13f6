#include "cli/registry_flags.h"

#include "cli/flag_checks.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::cli {

void add_registry_flags(CLI::App* cmd, RegistryFlags& f, RegistryFlagSet set) {
  std::string prefix = set == RegistryFlagSet::kPush    ? "push-"
                       : set == RegistryFlagSet::kCache ? "cache-"
                                                        : "";
  cmd->add_option("--" + prefix + "creds", f.creds,
                  "Registry credentials USER:PASSWORD (default: --authfile, REGISTRY_AUTH_FILE, "
                  "$XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json)");
  if (set == RegistryFlagSet::kCopy) {
    cmd->add_option("--src-creds", f.src_creds, "Credentials USER:PASSWORD for the source only");
    cmd->add_option("--dest-creds", f.dest_creds,
                    "Credentials USER:PASSWORD for the destination only");
  }
  cmd->add_option("--" + prefix + "authfile", f.auth_file,
                  "Read registry credentials from this auth file (containers-auth.json or "
                  "docker config.json format) instead of the usual ones");
  cmd->add_option("--" + prefix + "ca-cert", f.ca_cert,
                  "Trust this CA bundle (PEM) for registries, besides the system store");
  cmd->add_flag("--" + prefix + "insecure", f.insecure,
                "Allow plain http or unverified https registries (test registries only)");
  if (set == RegistryFlagSet::kPush || set == RegistryFlagSet::kCache) return;
  cmd->add_option("--timeout", f.timeout,
                  "Registry timeout in seconds: a registry that does not connect, or sends "
                  "nothing, for this long fails the transfer. Default 15 s to connect, 30 s "
                  "stalled")
      ->check(int_range("--timeout", 1, 86400));
  if (set == RegistryFlagSet::kCopy) {
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
  if (!f.auth_file.empty() && !path_exists(f.auth_file))
    throw Error("--authfile " + f.auth_file + ": no such file");
  o.auth_file = f.auth_file;
  o.ca_cert = f.ca_cert;
  o.insecure = f.insecure;
  o.parallel = f.parallel;
  o.chunk_size = f.chunk_size;
  o.timeout_seconds = f.timeout;
  return o;
}

}  // namespace distill::cli
