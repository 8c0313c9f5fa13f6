#include "cli/source_flags.h"

#include "cli/flag_checks.h"
#include "util/strings.h"

namespace distill::cli {

void add_source_flags(CLI::App* cmd, SourceFlags& f, const std::string& offline_help,
                      const std::string& timeout_help) {
  cmd->add_option("--cache-dir", f.cache_dir, "Package cache (default $XDG_CACHE_HOME/distill)");
  cmd->add_option("--mirror", f.mirror,
                  "Debian mirror URI for the main archive (the host's suites except *-security)");
  cmd->add_option("--security-mirror", f.security_mirror,
                  "Debian security mirror URI (the host's *-security suites)");
  cmd->add_option("--snapshot", f.snapshot,
                  "Build from the archive as it was at TIMESTAMP (e.g. 20260818T205150Z), "
                  "served by the snapshot service at --snapshot-uri")
      ->check(snapshot_timestamp("--snapshot"));
  cmd->add_option("--snapshot-uri", f.snapshot_uri,
                  "Snapshot service base URI (default $DISTILL_SNAPSHOT_URI)");
  cmd->add_option("--suites", f.suites,
                  "Read only these suites, comma separated (e.g. trixie,trixie-updates); "
                  "over the definition's suites:");
  cmd->add_flag("--offline", f.offline, offline_help);
  cmd->add_option("--timeout", f.timeout, timeout_help)->check(int_range("--timeout", 1, 86400));
  cmd->add_flag("--insecure-skip-signatures", f.insecure,
                "Do not verify repository signatures (local test repositories only)");
}

SourceOptions source_options(const SourceFlags& f) {
  SourceOptions o;
  o.cache_dir = f.cache_dir;
  o.mirror = f.mirror;
  o.security_mirror = f.security_mirror;
  o.snapshot = f.snapshot;
  o.snapshot_uri = f.snapshot_uri;
  o.suites = split_list(f.suites);
  o.network = f.offline ? Network::kOffline : Network::kOnline;
  o.signatures = f.insecure ? Signatures::kSkip : Signatures::kVerify;
  o.timeout_seconds = f.timeout;
  return o;
}

}  // namespace distill::cli
