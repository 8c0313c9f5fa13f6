#include "inspect/diff.h"

#include <map>

#include "debian/version.h"
#include "util/log.h"

namespace distill::inspect {

namespace {

nlohmann::json brief(const FileInfo& f) {
  nlohmann::json j{{"path", "/" + f.path},
                   {"type", type_name(f.type)},
                   {"mode", octal_mode(f.mode)},
                   {"uid", f.uid},
                   {"gid", f.gid},
                   {"size", f.size}};
  if (!f.link.empty()) j["link"] = f.link;
  if (!f.digest.empty()) j["digest"] = f.digest;
  return j;
}

std::vector<std::string> changes(const FileInfo& a, const FileInfo& b) {
  std::vector<std::string> out;
  if (a.type != b.type) {
    out.push_back("type");
    return out;
  }
  if (a.digest != b.digest || a.size != b.size) out.push_back("content");
  if ((a.mode & 07777) != (b.mode & 07777)) out.push_back("mode");
  if (a.uid != b.uid || a.gid != b.gid) out.push_back("owner");
  if (a.link != b.link) out.push_back("link");
  return out;
}

nlohmann::json delta(const nlohmann::json& a, const nlohmann::json& b) {
  int64_t x = a.get<int64_t>(), y = b.get<int64_t>();
  return {{"a", x}, {"b", y}, {"delta", y - x}};
}

}  // namespace

nlohmann::json diff_images(const nlohmann::json& ra, const MergedFs& a, const nlohmann::json& rb,
                           const MergedFs& b) {
  nlohmann::json d;
  d["schema"] = kDiffSchema;
  d["a"] = {{"reference", ra["reference"]}, {"digest", ra["digest"]}, {"platform", ra["platform"]}};
  d["b"] = {{"reference", rb["reference"]}, {"digest", rb["digest"]}, {"platform", rb["platform"]}};

  nlohmann::json added = nlohmann::json::array(), removed = nlohmann::json::array(),
                 changed = nlohmann::json::array();
  // Both maps are sorted by path: one merge pass.
  auto ia = a.files().begin(), ea = a.files().end();
  auto ib = b.files().begin(), eb = b.files().end();
  while (ia != ea || ib != eb) {
    if (ia != ea && ia->first.empty()) {
      ++ia;
      continue;
    }
    if (ib != eb && ib->first.empty()) {
      ++ib;
      continue;
    }
    if (ib == eb || (ia != ea && ia->first < ib->first)) {
      removed.push_back(brief(ia->second));
      ++ia;
    } else if (ia == ea || ib->first < ia->first) {
      added.push_back(brief(ib->second));
      ++ib;
    } else {
      auto what = changes(ia->second, ib->second);
      if (!what.empty()) {
        changed.push_back({{"path", "/" + ia->first},
                           {"changes", what},
                           {"a", brief(ia->second)},
                           {"b", brief(ib->second)}});
      }
      ++ia;
      ++ib;
    }
  }
  d["files"] = {{"added", added}, {"removed", removed}, {"changed", changed}};

  std::map<std::string, std::string> pa, pb;
  for (const auto& p : ra["packages"]) pa[p["name"]] = p["version"];
  for (const auto& p : rb["packages"]) pb[p["name"]] = p["version"];
  nlohmann::json padd = nlohmann::json::array(), prem = nlohmann::json::array(),
                 pup = nlohmann::json::array(), pdown = nlohmann::json::array();
  for (const auto& [name, v] : pb) {
    auto it = pa.find(name);
    if (it == pa.end()) {
      padd.push_back({{"name", name}, {"version", v}});
    } else if (it->second != v) {
      int cmp = debian::compare_versions(it->second, v);
      (cmp < 0 ? pup : pdown).push_back({{"name", name}, {"from", it->second}, {"to", v}});
    }
  }
  for (const auto& [name, v] : pa) {
    if (!pb.count(name)) prem.push_back({{"name", name}, {"version", v}});
  }
  d["packages"] = {{"added", padd}, {"removed", prem}, {"upgraded", pup}, {"downgraded", pdown}};

  nlohmann::json cfg = nlohmann::json::array();
  for (auto& [key, va] : ra["config"].items()) {
    if (key == "created" || key == "history") continue;  // change on every rebuild
    const auto& vb = rb["config"][key];
    if (va != vb) cfg.push_back({{"field", key}, {"a", va}, {"b", vb}});
  }
  if (ra["platform"] != rb["platform"])
    cfg.push_back({{"field", "platform"}, {"a", ra["platform"]}, {"b", rb["platform"]}});
  d["config"] = cfg;

  d["size"] = {
      {"compressed", delta(ra["size"]["compressed"], rb["size"]["compressed"])},
      {"uncompressed", delta(ra["size"]["uncompressed"], rb["size"]["uncompressed"])},
      {"files", delta(ra["size"]["files"], rb["size"]["files"])},
      {"layers", delta(nlohmann::json(ra["layers"].size()), nlohmann::json(rb["layers"].size()))}};
  d["identical"] = ra["digest"] == rb["digest"];
  return d;
}

namespace {

std::string signed_size(int64_t v) {
  return (v < 0 ? "-" : "+") + human_size(static_cast<uint64_t>(v < 0 ? -v : v));
}

std::string show(const nlohmann::json& v) {
  return v.is_string() ? "\"" + v.get<std::string>() + "\"" : v.dump();
}

}  // namespace

std::string render_diff_text(const nlohmann::json& d) {
  std::string o;
  auto line = [&](const std::string& l) { o += l + "\n"; };
  line("A  " + d["a"]["reference"].get<std::string>() + "  " + d["a"]["digest"].get<std::string>());
  line("B  " + d["b"]["reference"].get<std::string>() + "  " + d["b"]["digest"].get<std::string>());
  if (d["identical"].get<bool>()) line("(identical manifests)");
  line("");
  line("Size");
  for (const char* k : {"compressed", "uncompressed", "files"}) {
    const auto& s = d["size"][k];
    line(std::string("  ") + k + ": " + human_size(s["a"].get<uint64_t>()) + " -> " +
         human_size(s["b"].get<uint64_t>()) + " (" + signed_size(s["delta"].get<int64_t>()) + ")");
  }
  const auto& p = d["packages"];
  line("");
  line("Packages: " + std::to_string(p["added"].size()) + " added, " +
       std::to_string(p["removed"].size()) + " removed, " + std::to_string(p["upgraded"].size()) +
       " upgraded, " + std::to_string(p["downgraded"].size()) + " downgraded");
  for (const auto& x : p["added"])
    line("  + " + x["name"].get<std::string>() + " " + x["version"].get<std::string>());
  for (const auto& x : p["removed"])
    line("  - " + x["name"].get<std::string>() + " " + x["version"].get<std::string>());
  for (const auto& x : p["upgraded"])
    line("  ^ " + x["name"].get<std::string>() + " " + x["from"].get<std::string>() + " -> " +
         x["to"].get<std::string>());
  for (const auto& x : p["downgraded"])
    line("  v " + x["name"].get<std::string>() + " " + x["from"].get<std::string>() + " -> " +
         x["to"].get<std::string>());
  line("");
  line("Config: " + std::to_string(d["config"].size()) + " changed");
  for (const auto& c : d["config"])
    line("  " + c["field"].get<std::string>() + ": " + show(c["a"]) + " -> " + show(c["b"]));
  const auto& f = d["files"];
  line("");
  line("Files: " + std::to_string(f["added"].size()) + " added, " +
       std::to_string(f["removed"].size()) + " removed, " + std::to_string(f["changed"].size()) +
       " changed");
  auto desc = [](const nlohmann::json& e) {
    std::string s = e["type"].get<std::string>();
    if (e["type"] == "file") s += " " + human_size(e["size"].get<uint64_t>());
    if (e.contains("link")) s += " -> " + e["link"].get<std::string>();
    return s;
  };
  for (const auto& x : f["added"])
    line("  + " + x["path"].get<std::string>() + "  (" + desc(x) + ")");
  for (const auto& x : f["removed"])
    line("  - " + x["path"].get<std::string>() + "  (" + desc(x) + ")");
  for (const auto& x : f["changed"]) {
    std::string what;
    for (const auto& c : x["changes"]) {
      if (!what.empty()) what += ", ";
      std::string k = c.get<std::string>();
      if (k == "mode") {
        what += "mode " + x["a"]["mode"].get<std::string>() + " -> " +
                x["b"]["mode"].get<std::string>();
      } else if (k == "owner") {
        what += "owner " + std::to_string(x["a"]["uid"].get<uint32_t>()) + ":" +
                std::to_string(x["a"]["gid"].get<uint32_t>()) + " -> " +
                std::to_string(x["b"]["uid"].get<uint32_t>()) + ":" +
                std::to_string(x["b"]["gid"].get<uint32_t>());
      } else if (k == "type") {
        what += "type " + x["a"]["type"].get<std::string>() + " -> " +
                x["b"]["type"].get<std::string>();
      } else if (k == "link") {
        what += "link " + x["a"].value("link", "") + " -> " + x["b"].value("link", "");
      } else {
        what += "content " + human_size(x["a"]["size"].get<uint64_t>()) + " -> " +
                human_size(x["b"]["size"].get<uint64_t>());
      }
    }
    line("  ~ " + x["path"].get<std::string>() + "  (" + what + ")");
  }
  return o;
}

}  // namespace distill::inspect
