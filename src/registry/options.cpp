#include "registry/options.h"

#include <cstdlib>

#include <yaml-cpp/yaml.h>

#include "util/error.h"
#include "util/fs.h"

namespace distill::registry {

std::string default_registries_config() {
  if (const char* p = std::getenv("DISTILL_REGISTRIES_CONFIG"); p && *p) return p;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x)
    return join_path(x, "distill/registries.yaml");
  if (const char* h = std::getenv("HOME"); h && *h)
    return join_path(h, ".config/distill/registries.yaml");
  return "";
}

RegistrySettings settings_for(const std::string& registry, const RegistryOptions& opts) {
  RegistrySettings s;
  std::string path = opts.config_file.empty() ? default_registries_config() : opts.config_file;
  if (!path.empty() && path_exists(path)) {
    YAML::Node root;
    try {
      root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
      throw Error(path + ": " + e.what());
    }
    if (root && !root.IsNull()) {
      if (!root.IsMap()) throw Error(path + ": expected a mapping with a 'registries' key");
      for (const auto& top : root) {
        std::string key = top.first.as<std::string>();
        if (key != "registries")
          throw Error(path + ":" + std::to_string(top.first.Mark().line + 1) + ": unknown key '" +
                      key + "' (expected 'registries')");
      }
      YAML::Node regs = root["registries"];
      if (regs && !regs.IsMap()) throw Error(path + ": 'registries' must be a mapping");
      if (regs) {
        for (const auto& entry : regs) {
          if (entry.first.as<std::string>() != registry) continue;
          if (!entry.second.IsMap())
            throw Error(path + ": registries." + registry + " must be a mapping");
          for (const auto& kv : entry.second) {
            std::string k = kv.first.as<std::string>();
            std::string where = path + ":" + std::to_string(kv.first.Mark().line + 1);
            try {
              if (k == "insecure") {
                s.insecure = kv.second.as<bool>();
              } else if (k == "ca-cert") {
                s.ca_cert = kv.second.as<std::string>();
                if (!s.ca_cert.empty() && s.ca_cert[0] != '/')
                  s.ca_cert = join_path(parent_dir(absolute_path(path)), s.ca_cert);
              } else {
                throw Error(where + ": unknown key '" + k + "' for registry " + registry +
                            " (expected insecure or ca-cert)");
              }
            } catch (const YAML::Exception&) {
              throw Error(where + ": bad value for '" + k + "'");
            }
          }
        }
      }
    }
  }
  if (opts.insecure) s.insecure = true;
  if (!opts.ca_cert.empty()) s.ca_cert = opts.ca_cert;
  if (!s.ca_cert.empty() && !path_exists(s.ca_cert))
    throw Error("CA certificate file " + s.ca_cert + " does not exist");
  return s;
}

}  // namespace distill::registry
