// Command-line flags for talking to registries, the same in every command
// that reads or writes images (inspect, diff, extract, copy, build --push):
// they fill one registry::RegistryOptions.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "registry/options.h"

namespace distill::cli {

struct RegistryFlags {
  std::string creds;       // --creds (both sides)
  std::string src_creds;   // copy only
  std::string dest_creds;  // copy only
  std::string auth_file;   // --authfile
  std::string ca_cert;
  bool insecure = false;
  int parallel = 3;
  uint64_t chunk_size = 0;
  long timeout = 0;
};

// Which flags a command offers: reading (inspect, diff, extract), copying
// (both sides, transfer tuning), build's --push-* set, or build's --cache-*
// set for the registry layer caches (cli/cache_flags.h).
enum class RegistryFlagSet { kRead, kCopy, kPush, kCache };

// Adds --creds, --authfile, --ca-cert, --insecure and --timeout; kCopy adds
// --src-creds/--dest-creds, --parallel and --chunk-size; kPush names them
// --push-creds, --push-authfile, --push-ca-cert, --push-insecure (build's own
// --timeout covers the push); kCache the same with --cache-.
void add_registry_flags(CLI::App* cmd, RegistryFlags& f, RegistryFlagSet set);

// Options for the source ("src"), destination ("dest") or either ("").
registry::RegistryOptions registry_options(const RegistryFlags& f, const std::string& side);

}  // namespace distill::cli
