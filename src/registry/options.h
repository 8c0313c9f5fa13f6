// How distill talks to registries: credentials, TLS and transfer settings
// from the command line, plus per-registry settings from a config file:
//
//   # $DISTILL_REGISTRIES_CONFIG, else $XDG_CONFIG_HOME/distill/registries.yaml
//   # (default ~/.config/distill/registries.yaml)
//   registries:
//     "127.0.0.1:5000":
//       insecure: true          # plain http, or https without verification
//     "registry.internal:443":
//       ca-cert: /etc/pki/internal-ca.pem
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "registry/credentials.h"

namespace distill::registry {

struct RegistryOptions {
  std::optional<Credential> credential;  // --creds; else auth files are consulted
  std::string auth_file;     // --authfile: the only auth file consulted; "" = the usual list
  std::string ca_cert;       // extra trusted CA bundle (PEM)
  bool insecure = false;     // allow http / unverified https
  int parallel = 3;          // blob transfers at a time (1-4)
  uint64_t chunk_size = 0;   // upload blobs larger than this in PATCH chunks of it; 0 = one PUT
  int retries = 3;           // extra attempts per request or blob after the first
  long backoff_ms = 300;     // doubled after every failed attempt
  std::string config_file;   // per-registry settings; "" = the default location
  long timeout_seconds = 0;  // connect and stall limit per transfer; 0 = the client's default
  // Blob digest -> "HOST/REPO" known to hold it (a registry cache's hits):
  // a push to another repository of HOST mounts the blob from there.
  std::map<std::string, std::string> mount_from;
};

struct RegistrySettings {
  bool insecure = false;
  std::string ca_cert;
};

// The command-line options merged with the config file's entry for
// `registry` (host[:port]); the command line wins where it says something.
RegistrySettings settings_for(const std::string& registry, const RegistryOptions& opts);

// The per-registry config file consulted when RegistryOptions names none.
std::string default_registries_config();

}  // namespace distill::registry
