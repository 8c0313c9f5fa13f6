#include "inspect/report.h"

#include <map>
#include <memory>

#include "inspect/facts.h"

namespace distill::inspect {

nlohmann::json config_facts(const oci::Image& image) {
  nlohmann::json c = image.config();
  nlohmann::json cfg =
      c.contains("config") && c["config"].is_object() ? c["config"] : nlohmann::json::object();
  auto list = [&](const char* key) {
    auto it = cfg.find(key);
    return it != cfg.end() && it->is_array() ? *it : nlohmann::json::array();
  };
  auto keys = [&](const char* key) {
    nlohmann::json out = nlohmann::json::array();
    auto it = cfg.find(key);
    if (it != cfg.end() && it->is_object()) {
      for (auto& [k, v] : it->items()) out.push_back(k);
    }
    return out;
  };
  auto str = [](const nlohmann::json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  nlohmann::json j;
  j["user"] = str(cfg, "User");
  j["workdir"] = str(cfg, "WorkingDir");
  j["entrypoint"] = list("Entrypoint");
  j["cmd"] = list("Cmd");
  j["env"] = list("Env");
  j["exposed_ports"] = keys("ExposedPorts");
  j["volumes"] = keys("Volumes");
  j["labels"] = cfg.contains("Labels") && cfg["Labels"].is_object() ? cfg["Labels"]
                                                                    : nlohmann::json::object();
  j["stop_signal"] = str(cfg, "StopSignal");
  j["created"] = str(c, "created");
  j["author"] = str(c, "author");
  j["history"] = c.contains("history") && c["history"].is_array() ? c["history"].size() : 0;
  return j;
}

std::vector<nlohmann::json> layer_created_by(const nlohmann::json& config, size_t layers) {
  std::vector<nlohmann::json> out(layers, nullptr);
  auto h = config.find("history");
  if (h == config.end() || !h->is_array()) return out;
  // Entries marked empty_layer have no layer; the others are the layers in
  // order. When they do not pair up, no entry is trusted to name a layer.
  std::vector<nlohmann::json> paired;
  for (const auto& e : *h) {
    if (!e.is_object()) return out;
    auto empty = e.find("empty_layer");
    if (empty != e.end() && empty->is_boolean() && empty->get<bool>()) continue;
    auto by = e.find("created_by");
    paired.push_back(by != e.end() && by->is_string() ? *by : nlohmann::json(nullptr));
  }
  return paired.size() == layers ? paired : out;
}

nlohmann::json build_report(const Target& target, const ImageScan& scan) {
  const oci::Image& image = *target.image;
  nlohmann::json r;
  r["schema"] = kReportSchema;
  r["reference"] = target.reference;
  r["digest"] = image.digest();
  r["media_type"] = image.manifest_media_type();
  r["index_digest"] =
      target.index_digest.empty() ? nlohmann::json(nullptr) : nlohmann::json(target.index_digest);
  r["platform"] = image.platform().to_string();
  r["platforms"] = nlohmann::json::array();
  for (const auto& p : target.platforms) r["platforms"].push_back(p.to_string());

  uint64_t compressed = 0, uncompressed = 0;
  r["layers"] = nlohmann::json::array();
  std::vector<nlohmann::json> created_by = layer_created_by(image.config(), scan.layers.size());
  for (const auto& l : scan.layers) {
    compressed += static_cast<uint64_t>(l.descriptor.size);
    uncompressed += l.uncompressed_size;
    nlohmann::json adds = nlohmann::json::array();
    for (const auto& [dir, bytes] : l.top_dirs) adds.push_back({{"path", dir}, {"bytes", bytes}});
    r["layers"].push_back({{"index", l.index},
                           {"digest", l.descriptor.digest},
                           {"diff_id", l.diff_id},
                           {"media_type", l.descriptor.media_type},
                           {"compressed_size", l.descriptor.size},
                           {"uncompressed_size", l.uncompressed_size},
                           {"entries", l.entries},
                           {"file_bytes", l.file_bytes},
                           {"whiteouts", l.whiteouts},
                           {"added", l.effect.added},
                           {"replaced", l.effect.replaced},
                           {"replaced_bytes", l.effect.replaced_bytes},
                           {"removed", l.effect.removed},
                           {"removed_bytes", l.effect.removed_bytes},
                           {"adds", adds},
                           {"packages", l.status_entries},
                           {"created_by", created_by[static_cast<size_t>(l.index)]}});
  }
  nlohmann::json files = file_count_facts(scan.fs);
  r["size"] = {{"compressed", compressed},
               {"uncompressed", uncompressed},
               {"files", files["bytes"]},
               {"config", image.raw_config().size()},
               {"manifest", image.raw_manifest().size()}};
  r["config"] = config_facts(image);
  r["os"] = os_release_facts(scan.fs);
  r["accounts"] = account_facts(scan.fs);
  r["skeleton"] = skeleton_facts(scan.fs, r["accounts"]);
  r["nsswitch"] = nsswitch_facts(scan.fs);
  r["ca_bundle"] = ca_bundle_facts(scan.fs);
  r["timezones"] = timezone_facts(scan.fs);
  nlohmann::json pk = package_facts(scan.fs);
  r["packages"] = pk["packages"];
  r["package_problems"] = pk["problems"];
  r["shared_libraries"] = shared_library_facts(scan.fs, r["packages"]);
  r["largest"] = largest_facts(scan.fs, 20);
  r["files"] = files;
  r["warnings"] = warning_facts(scan.fs, r);
  return r;
}

namespace {

struct SizeNode {
  uint64_t size = 0;
  std::map<std::string, std::unique_ptr<SizeNode>> children;
};

nlohmann::json to_json(const std::string& name, const SizeNode& n, int depth, int max_depth,
                       uint64_t threshold) {
  nlohmann::json j{{"name", name}, {"size", n.size}};
  if (depth >= max_depth || n.children.empty()) return j;
  nlohmann::json kids = nlohmann::json::array();
  uint64_t other = 0;
  for (const auto& [k, c] : n.children) {
    if (c->size < threshold) {
      other += c->size;
      continue;
    }
    kids.push_back(to_json(k, *c, depth + 1, max_depth, threshold));
  }
  if (other > 0) kids.push_back({{"name", "(other)"}, {"size", other}});
  j["children"] = kids;
  return j;
}

}  // namespace

nlohmann::json directory_size_tree(const MergedFs& fs, int max_depth, double min_fraction) {
  SizeNode root;
  for (const auto& [path, f] : fs.files()) {
    if (f.type != TarEntry::Type::kFile || f.size == 0) continue;
    SizeNode* n = &root;
    n->size += f.size;
    size_t i = 0;
    int depth = 0;
    while (depth < max_depth) {
      size_t j = path.find('/', i);
      std::string comp = path.substr(i, j == std::string::npos ? std::string::npos : j - i);
      auto& child = n->children[comp];
      if (!child) child = std::make_unique<SizeNode>();
      n = child.get();
      n->size += f.size;
      ++depth;
      if (j == std::string::npos) break;
      i = j + 1;
    }
  }
  auto threshold = static_cast<uint64_t>(static_cast<double>(root.size) * min_fraction);
  return to_json("/", root, 0, max_depth, threshold);
}

}  // namespace distill::inspect
