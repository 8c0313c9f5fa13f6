// Command-line flags for talking to registries, shared by `copy` and
// `build --push`, and the step that pushes a build's output.
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
  std::string ca_cert;
  bool insecure = false;
  int parallel = 3;
  uint64_t chunk_size = 0;
};

// Adds --creds, --ca-cert, --insecure, --parallel, --chunk-size (and
// --src-creds/--dest-creds when `two_sides`), each name prefixed with `prefix`.
void add_registry_flags(CLI::App* cmd, RegistryFlags& f, bool two_sides,
                        const std::string& prefix = "");

// Options for the source ("src"), destination ("dest") or either ("").
registry::RegistryOptions registry_options(const RegistryFlags& f, const std::string& side);

struct PushFlags {
  std::string dest;  // docker://HOST/REPO:TAG, "" = no push
  RegistryFlags registry;
};

// `build --push docker://...` and its --push-creds, --push-ca-cert, --push-insecure.
void add_push_flags(CLI::App* cmd, PushFlags& f);

// Pushes what `distill build` wrote at `output` (format "oci" or
// "docker-archive", tagged `tags`) to f.dest; prints nothing on stdout.
void push_build_output(const PushFlags& f, const std::string& output, const std::string& format,
                       const std::vector<std::string>& tags);

}  // namespace distill::cli
