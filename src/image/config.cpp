#include "image/config.h"

#include <nlohmann/json.hpp>

namespace distill {

std::string render_config(const ImageConfigSpec& spec, const oci::Platform& platform,
                          const std::vector<std::string>& diff_ids) {
  nlohmann::json c;
  c["architecture"] = platform.architecture;
  c["os"] = platform.os;
  if (!platform.variant.empty()) c["variant"] = platform.variant;
  if (spec.created) c["created"] = *spec.created;
  nlohmann::json rc = nlohmann::json::object();
  std::vector<std::string> env = spec.env.value_or(std::vector<std::string>{});
  bool has_path = false;
  for (const auto& kv : env) has_path |= kv.rfind("PATH=", 0) == 0;
  // Runtimes fall back to a PATH of their own when the image has none;
  // setting it makes the image behave the same under every runtime.
  if (!has_path) env.insert(env.begin(), kDefaultPath);
  rc["Env"] = env;
  if (spec.user) rc["User"] = *spec.user;
  if (spec.workdir) rc["WorkingDir"] = *spec.workdir;
  if (spec.entrypoint && !spec.entrypoint->empty()) rc["Entrypoint"] = *spec.entrypoint;
  if (spec.cmd && !spec.cmd->empty()) rc["Cmd"] = *spec.cmd;
  if (!spec.labels.empty()) rc["Labels"] = spec.labels;
  if (!spec.exposed_ports.empty()) {
    nlohmann::json ports = nlohmann::json::object();
    for (const auto& p : spec.exposed_ports) ports[p] = nlohmann::json::object();
    rc["ExposedPorts"] = ports;
  }
  if (!spec.volumes.empty()) {
    nlohmann::json vols = nlohmann::json::object();
    for (const auto& v : spec.volumes) vols[v] = nlohmann::json::object();
    rc["Volumes"] = vols;
  }
  if (spec.stop_signal) rc["StopSignal"] = *spec.stop_signal;
  c["config"] = rc;
  c["rootfs"] = {{"type", "layers"}, {"diff_ids", diff_ids}};
  return c.dump();
}

}  // namespace distill
