#include "inspect/diff.h"

#include <time.h>

#include <map>
#include <set>

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
                   {"size", f.size},
                   {"mtime", f.mtime}};
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
  if (a.mtime != b.mtime) out.push_back("mtime");
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
  // Every field, created and history included: a rebuilt image that differs
  // only there is still a different image.
  for (auto& [key, va] : ra["config"].items()) {
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
  d["differences"] = added.size() + removed.size() + changed.size() + padd.size() + prem.size() +
                     pup.size() + pdown.size() + cfg.size();
  return d;
}

namespace {

std::string signed_size(int64_t v) {
  return (v < 0 ? "-" : "+") + human_size(static_cast<uint64_t>(v < 0 ? -v : v));
}

std::string show(const nlohmann::json& v) {
  return v.is_string() ? "\"" + v.get<std::string>() + "\"" : v.dump();
}

std::string utc_time(int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  char buf[32];
  if (!gmtime_r(&tt, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
    return std::to_string(t);
  return buf;
}

// What changed in a list used as a set (env, ports, volumes): "+ x, - y".
std::string set_change(const nlohmann::json& a, const nlohmann::json& b) {
  std::set<std::string> sa, sb;
  for (const auto& x : a) sa.insert(show(x));
  for (const auto& x : b) sb.insert(show(x));
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  for (const auto& x : sa)
    if (!sb.count(x)) add("- " + x);
  for (const auto& x : sb)
    if (!sa.count(x)) add("+ " + x);
  return out.empty() ? "same entries, new order" : out;
}

// Labels (an object): "+ k=v, - k, k: "a" -> "b"".
std::string object_change(const nlohmann::json& a, const nlohmann::json& b) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  for (auto& [k, v] : a.items()) {
    if (!b.contains(k)) {
      add("- " + k);
    } else if (b[k] != v) {
      add(k + ": " + show(v) + " -> " + show(b[k]));
    }
  }
  for (auto& [k, v] : b.items())
    if (!a.contains(k)) add("+ " + k + "=" + show(v));
  return out;
}

std::string config_line(const nlohmann::json& c) {
  const std::string field = c["field"].get<std::string>();
  const auto &a = c["a"], &b = c["b"];
  if ((field == "env" || field == "exposed_ports" || field == "volumes") && a.is_array() &&
      b.is_array())
    return "  " + field + ": " + set_change(a, b);
  if (a.is_object() && b.is_object()) return "  " + field + ": " + object_change(a, b);
  return "  " + field + ": " + show(a) + " -> " + show(b);
}

std::string short_digest(const nlohmann::json& e) {
  std::string d = e.value("digest", "");
  return d.size() > 19 ? d.substr(0, 19) : d;  // "sha256:" + 12 hex digits
}

// "content 4 B -> 6 B, mode 0644 -> 0755, ..." for one changed path.
std::string file_change(const nlohmann::json& x) {
  std::string what;
  const auto &a = x["a"], &b = x["b"];
  for (const auto& c : x["changes"]) {
    if (!what.empty()) what += ", ";
    std::string k = c.get<std::string>();
    if (k == "mode") {
      what += "mode " + a["mode"].get<std::string>() + " -> " + b["mode"].get<std::string>();
    } else if (k == "owner") {
      what += "owner " + std::to_string(a["uid"].get<uint32_t>()) + ":" +
              std::to_string(a["gid"].get<uint32_t>()) + " -> " +
              std::to_string(b["uid"].get<uint32_t>()) + ":" +
              std::to_string(b["gid"].get<uint32_t>());
    } else if (k == "type") {
      what += "type " + a["type"].get<std::string>() + " -> " + b["type"].get<std::string>();
    } else if (k == "link") {
      what += "link " + a.value("link", "") + " -> " + b.value("link", "");
    } else if (k == "mtime") {
      what += "mtime " + utc_time(a["mtime"].get<int64_t>()) + " -> " +
              utc_time(b["mtime"].get<int64_t>());
    } else if (a["size"] != b["size"]) {
      what += "content " + human_size(a["size"].get<uint64_t>()) + " -> " +
              human_size(b["size"].get<uint64_t>());
    } else {
      what += "content " + short_digest(a) + " -> " + short_digest(b) + " (same size)";
    }
  }
  return what;
}

std::string package_lines(const nlohmann::json& p) {
  std::string o = "Packages: " + std::to_string(p["added"].size()) + " added, " +
                  std::to_string(p["removed"].size()) + " removed, " +
                  std::to_string(p["upgraded"].size()) + " upgraded, " +
                  std::to_string(p["downgraded"].size()) + " downgraded\n";
  for (const auto& x : p["added"])
    o += "  + " + x["name"].get<std::string>() + " " + x["version"].get<std::string>() + "\n";
  for (const auto& x : p["removed"])
    o += "  - " + x["name"].get<std::string>() + " " + x["version"].get<std::string>() + "\n";
  for (const auto& x : p["upgraded"])
    o += "  ^ " + x["name"].get<std::string>() + " " + x["from"].get<std::string>() + " -> " +
         x["to"].get<std::string>() + "\n";
  for (const auto& x : p["downgraded"])
    o += "  v " + x["name"].get<std::string>() + " " + x["from"].get<std::string>() + " -> " +
         x["to"].get<std::string>() + "\n";
  return o;
}

std::string file_lines(const nlohmann::json& f) {
  std::string o = "Files: " + std::to_string(f["added"].size()) + " added, " +
                  std::to_string(f["removed"].size()) + " removed, " +
                  std::to_string(f["changed"].size()) + " changed\n";
  auto desc = [](const nlohmann::json& e) {
    std::string s = e["type"].get<std::string>();
    if (e["type"] == "file") s += " " + human_size(e["size"].get<uint64_t>());
    if (e.contains("link")) s += " -> " + e["link"].get<std::string>();
    return s;
  };
  for (const auto& x : f["added"])
    o += "  + " + x["path"].get<std::string>() + "  (" + desc(x) + ")\n";
  for (const auto& x : f["removed"])
    o += "  - " + x["path"].get<std::string>() + "  (" + desc(x) + ")\n";
  for (const auto& x : f["changed"])
    o += "  ~ " + x["path"].get<std::string>() + "  (" + file_change(x) + ")\n";
  return o;
}

}  // namespace

std::string render_diff_text(const nlohmann::json& d) {
  std::string o;
  auto line = [&](const std::string& l) { o += l + "\n"; };
  line("A  " + d["a"]["reference"].get<std::string>() + "  " + d["a"]["digest"].get<std::string>());
  line("B  " + d["b"]["reference"].get<std::string>() + "  " + d["b"]["digest"].get<std::string>());
  uint64_t n = d["differences"].get<uint64_t>();
  if (d["identical"].get<bool>()) {
    line("(identical manifests)");
  } else if (n == 0) {
    line("(same files, packages and config; the manifests differ only in how layers are stored)");
  } else {
    line("(" + std::to_string(n) + (n == 1 ? " difference)" : " differences)"));
  }
  line("");
  line("Size");
  for (const char* k : {"compressed", "uncompressed", "files"}) {
    const auto& s = d["size"][k];
    line(std::string("  ") + k + ": " + human_size(s["a"].get<uint64_t>()) + " -> " +
         human_size(s["b"].get<uint64_t>()) + " (" + signed_size(s["delta"].get<int64_t>()) + ")");
  }
  line("");
  o += package_lines(d["packages"]);
  line("");
  line("Config: " + std::to_string(d["config"].size()) + " changed");
  for (const auto& c : d["config"]) line(config_line(c));
  line("");
  o += file_lines(d["files"]);
  return o;
}

}  // namespace distill::inspect
