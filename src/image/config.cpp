#include "image/config.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "util/error.h"

namespace distill {

std::string version_env_value(const std::string& version, const std::string& cut_at) {
  std::string v =
      version.substr(version.find(':') == std::string::npos ? 0 : version.find(':') + 1);
  if (cut_at.empty()) return v.substr(0, v.rfind('-'));
  return v.substr(0, v.find(cut_at));
}

namespace {

// The value entry `ve` (of `key`: "version-env" or "version-annotations")
// takes from the image's versions.
std::string config_version_value(const VersionEnvSpec& ve, const char* key,
                                 const std::map<std::string, std::string>& versions,
                                 const std::map<std::string, std::string>& upstream_versions) {
  if (!ve.upstream.empty()) {
    auto it = upstream_versions.find(ve.upstream);
    if (it == upstream_versions.end()) {
      throw Error(ve.where + ": " + key + " " + ve.name + " names upstream " + ve.upstream +
                  ", which is not in the image for this architecture or has no known version "
                  "(a url item needs version:)");
    }
    return ve.cut_at.empty() ? it->second : it->second.substr(0, it->second.find(ve.cut_at));
  }
  auto it = versions.find(ve.package);
  if (it == versions.end()) {
    throw Error(ve.where + ": " + key + " " + ve.name + " names package " + ve.package +
                ", which is not in the image");
  }
  return version_env_value(it->second, ve.cut_at);
}

}  // namespace

ImageConfigSpec with_version_env(const ImageConfigSpec& spec,
                                 const std::map<std::string, std::string>& versions,
                                 const std::map<std::string, std::string>& upstream_versions) {
  ImageConfigSpec out = spec;
  for (const auto& va : spec.version_annotations) {
    out.annotations[va.name] =
        config_version_value(va, "version-annotations", versions, upstream_versions);
  }
  if (spec.version_env.empty()) return out;
  std::vector<std::string> env = out.env.value_or(std::vector<std::string>{});
  for (const auto& ve : spec.version_env) {
    std::string kv =
        ve.name + "=" + config_version_value(ve, "version-env", versions, upstream_versions);
    auto same = std::find_if(env.begin(), env.end(), [&](const std::string& e) {
      return e.compare(0, ve.name.size() + 1, ve.name + "=") == 0;
    });
    if (same != env.end()) {
      *same = kv;
    } else {
      env.push_back(kv);
    }
  }
  out.env = env;
  return out;
}

std::string render_config(const ImageConfigSpec& spec, const oci::Platform& platform,
                          const std::vector<std::string>& diff_ids,
                          const std::vector<std::string>& created_by) {
  if (created_by.size() != diff_ids.size()) {
    throw Error(ErrorKind::kInternal, "image config: " + std::to_string(created_by.size()) +
                                          " history entries for " +
                                          std::to_string(diff_ids.size()) + " layers");
  }
  nlohmann::json c;
  c["architecture"] = platform.architecture;
  c["os"] = platform.os;
  if (!platform.variant.empty()) c["variant"] = platform.variant;
  std::string created = spec.created.value_or(kEpochCreated);
  c["created"] = created;
  c["history"] = nlohmann::json::array();
  for (const auto& what : created_by) {
    c["history"].push_back({{"created", created}, {"created_by", what}});
  }
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
