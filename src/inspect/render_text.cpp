#include <cstdio>
#include <string>

#include "inspect/render.h"
#include "util/log.h"

namespace distill::inspect {

namespace {

std::string s(const nlohmann::json& j) {
  if (j.is_null()) return "-";
  if (j.is_string()) return j.get<std::string>();
  return j.dump();
}

std::string size(const nlohmann::json& j) {
  return j.is_number() ? human_size(j.get<uint64_t>()) : "-";
}

std::string pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string rpad(std::string text, size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

std::string joined(const nlohmann::json& arr, const std::string& sep = " ") {
  std::string out;
  if (!arr.is_array()) return s(arr);
  for (const auto& v : arr) {
    if (!out.empty()) out += sep;
    out += s(v);
  }
  return out;
}

std::string short_digest(const std::string& d) {
  return d.size() > 19 ? d.substr(0, 19) : d;
}

// The report as text, one section after another.
struct TextOut {
  std::string o;
  void line(const std::string& l) { o += l + "\n"; }
  void heading(const std::string& h) { o += "\n" + h + "\n"; }
};

void render_summary(const nlohmann::json& r, TextOut& out) {
  out.line("Image     " + s(r["reference"]));
  out.line("Digest    " + s(r["digest"]));
  if (!r["index_digest"].is_null()) out.line("Index     " + s(r["index_digest"]));
  out.line(
      "Platform  " + s(r["platform"]) +
      (r["platforms"].size() > 1 ? "  (index offers: " + joined(r["platforms"], ", ") + ")" : ""));
  out.line("Size      " + size(r["size"]["compressed"]) + " compressed, " +
           size(r["size"]["uncompressed"]) + " uncompressed, " + size(r["size"]["files"]) + " in " +
           s(r["files"]["total"]) + " entries");
}

void render_layers(const nlohmann::json& r, TextOut& out) {
  out.heading("Layers");
  for (const auto& l : r["layers"]) {
    out.line("  " + rpad(s(l["index"]), 2) + "  " + short_digest(s(l["digest"])) + "  " +
             rpad(size(l["compressed_size"]), 10) + " / " + rpad(size(l["uncompressed_size"]), 10) +
             "  " + s(l["entries"]) + " entries" +
             (l["whiteouts"] != 0 ? ", " + s(l["whiteouts"]) + " whiteouts" : "") +
             (l["replaced"] != 0 ? ", replaces " + s(l["replaced"]) : "") +
             (l["removed"] != 0 ? ", removes " + s(l["removed"]) : ""));
    std::string adds;
    for (const auto& a : l["adds"]) {
      if (!adds.empty()) adds += ", ";
      adds += s(a["path"]) + " " + size(a["bytes"]);
    }
    if (l["created_by"].is_string()) out.line("      created by " + s(l["created_by"]));
    if (!adds.empty()) out.line("      adds " + adds);
    if (!l["packages"].empty()) out.line("      packages " + joined(l["packages"], ", "));
  }
  if (r["layers"].empty()) out.line("  (none)");
}

void render_config(const nlohmann::json& r, TextOut& out) {
  out.heading("Config");
  const auto& c = r["config"];
  out.line("  user        " + (c["user"] == "" ? std::string("(root)") : s(c["user"])));
  out.line("  workdir     " + (c["workdir"] == "" ? std::string("/") : s(c["workdir"])));
  out.line("  entrypoint  " +
           (c["entrypoint"].empty() ? std::string("-") : joined(c["entrypoint"])));
  out.line("  cmd         " + (c["cmd"].empty() ? std::string("-") : joined(c["cmd"])));
  for (const auto& e : c["env"]) out.line("  env         " + s(e));
  if (!c["exposed_ports"].empty()) out.line("  ports       " + joined(c["exposed_ports"]));
  for (auto& [k, v] : c["labels"].items()) out.line("  label       " + k + "=" + s(v));
}

void render_system(const nlohmann::json& r, TextOut& out) {
  out.heading("OS");
  if (r["os"].is_null()) {
    out.line("  no os-release");
  } else {
    out.line("  " + s(r["os"]["pretty_name"]) + "  (id " + s(r["os"]["id"]) + ", version " +
             s(r["os"]["version_id"]) + ", " + s(r["os"]["path"]) + ")");
  }

  out.heading("Directories");
  for (const auto& d : r["skeleton"]) {
    if (!d["exists"].get<bool>()) continue;
    out.line("  " + pad(s(d["path"]), 16) + " " + pad(s(d["type"]), 10) + " " + s(d["mode"]) + " " +
             s(d["uid"]) + ":" + s(d["gid"]) + (d.contains("link") ? " -> " + s(d["link"]) : ""));
  }
  std::string absent;
  for (const auto& d : r["skeleton"]) {
    if (!d["exists"].get<bool>()) absent += " " + s(d["path"]);
  }
  if (!absent.empty()) out.line("  absent:" + absent);

  out.heading("Users and groups");
  if (!r["accounts"]["passwd_present"].get<bool>()) out.line("  no /etc/passwd");
  for (const auto& u : r["accounts"]["users"]) {
    out.line("  user  " + pad(s(u["name"]), 12) + " " + rpad(s(u["uid"]), 6) + ":" +
             pad(s(u["gid"]), 6) + " home " + s(u["home"]) +
             (u["home_exists"].get<bool>() ? "" : " (missing)") + "  shell " + s(u["shell"]));
  }
  for (const auto& g : r["accounts"]["groups"]) {
    out.line("  group " + pad(s(g["name"]), 12) + " " + rpad(s(g["gid"]), 6) +
             (g["members"].empty() ? "" : "  members " + joined(g["members"], ",")));
  }

  out.heading("Name service (nsswitch.conf)");
  if (r["nsswitch"].is_null()) {
    out.line("  no /etc/nsswitch.conf (glibc falls back to its built-in defaults)");
  } else {
    for (auto& [k, v] : r["nsswitch"]["databases"].items())
      out.line("  " + pad(k + ":", 12) + s(v));
  }
}

void render_contents(const nlohmann::json& r, TextOut& out) {
  out.heading("CA certificates");
  if (r["ca_bundle"].is_null()) {
    out.line("  no CA bundle");
  } else {
    const auto& ca = r["ca_bundle"];
    out.line("  " + s(ca["path"]) + ": " + s(ca["certificates"]) +
             " certificates, earliest expiry " + s(ca["earliest_expiry"]) + " (" +
             s(ca["earliest_subject"]) + ")");
  }

  out.heading("Time zones");
  out.line("  " + s(r["timezones"]["count"]) + " zones in /usr/share/zoneinfo" +
           (r["timezones"]["has_utc"].get<bool>() ? ", UTC present" : ", no UTC zone file") +
           (r["timezones"]["localtime"].is_null()
                ? ""
                : ", /etc/localtime " + s(r["timezones"]["localtime"])));

  out.heading("Shared libraries");
  const auto& sl = r["shared_libraries"];
  out.line("  " + s(sl["count"]) + " libraries (" + size(sl["bytes"]) + "), glibc " +
           s(sl["glibc_version"]) +
           (sl["loaders"].empty() ? "" : ", loader " + joined(sl["loaders"])));

  out.heading("Packages (" + std::to_string(r["packages"].size()) + ")");
  for (const auto& p : r["packages"]) {
    out.line("  " + pad(s(p["name"]), 24) + " " + pad(s(p["version"]), 26) + " " +
             rpad(size(p["installed_size"]), 10) + "  " +
             (p["licenses"].is_null() ? std::string("(no copyright file)")
                                      : joined(p["licenses"], ", ")));
  }

  out.heading("Largest files");
  for (const auto& f : r["largest"]["files"]) {
    out.line("  " + rpad(size(f["size"]), 10) + "  " + s(f["path"]) + "  (layer " + s(f["layer"]) +
             ")");
  }
  out.heading("Largest directories");
  for (const auto& d : r["largest"]["directories"]) {
    out.line("  " + rpad(size(d["size"]), 10) + "  " + s(d["path"]) + "  (" + s(d["files"]) +
             " files)");
  }

  out.heading("Warnings (" + std::to_string(r["warnings"].size()) + ")");
  for (const auto& w : r["warnings"]) out.line("  " + s(w["code"]) + ": " + s(w["message"]));
  if (r["warnings"].empty()) out.line("  none");
}

// OCI referrers of the image (and its index); absent in diff's reports.
void render_attached(const nlohmann::json& r, TextOut& out) {
  auto it = r.find("attached");
  if (it == r.end() || !it->is_array()) return;
  out.heading("Attached (" + std::to_string(it->size()) + ")");
  for (const auto& a : *it) {
    out.line("  " + pad(s(a["artifact_type"]), 32) + " " + s(a["digest"]) + " " +
             rpad(size(a["size"]), 8) + "  " + s(a["source"]));
  }
  if (it->empty()) out.line("  none");
}

}  // namespace

std::string render_text(const nlohmann::json& r) {
  TextOut out;
  render_summary(r, out);
  render_layers(r, out);
  render_config(r, out);
  render_system(r, out);
  render_contents(r, out);
  render_attached(r, out);
  return out.o;
}

}  // namespace distill::inspect
