// Command-line flags for where Debian packages come from, shared by `build`
// and `lock` so both spell and check them the same way.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "image/build_options.h"

namespace distill::cli {

struct SourceFlags {
  std::string cache_dir;
  std::string mirror;           // main archive only
  std::string security_mirror;  // the *-security suites
  std::string snapshot;         // YYYYMMDDTHHMMSSZ
  std::string snapshot_uri;
  std::string suites;  // comma separated
  bool offline = false;
  bool insecure = false;  // --insecure-skip-signatures
  long timeout = 0;       // seconds; 0 = the client's defaults
};

// Adds --cache-dir, --mirror, --security-mirror, --snapshot, --snapshot-uri,
// --suites, --offline, --timeout and --insecure-skip-signatures; the two help texts
// say what --offline and --timeout cover for this command.
void add_source_flags(CLI::App* cmd, SourceFlags& f, const std::string& offline_help,
                      const std::string& timeout_help);

// The flags as build options (lock_file is the caller's).
SourceOptions source_options(const SourceFlags& f);

}  // namespace distill::cli
