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

}  // namespace

std::string render_text(const nlohmann::json& r) {
  std::string o;
  auto line = [&](const std::string& l) { o += l + "\n"; };
  auto heading = [&](const std::string& h) { o += "\n" + h + "\n"; };

  line("Image     " + s(r["reference"]));
  line("Digest    " + s(r["digest"]));
  if (!r["index_digest"].is_null()) line("Index     " + s(r["index_digest"]));
  line("Platform  " + s(r["platform"]) +
       (r["platforms"].size() > 1 ? "  (index offers: " + joined(r["platforms"], ", ") + ")" : ""));
  line("Size      " + size(r["size"]["compressed"]) + " compressed, " +
       size(r["size"]["uncompressed"]) + " uncompressed, " + size(r["size"]["files"]) + " in " +
       s(r["files"]["total"]) + " entries");

  heading("Layers");
  for (const auto& l : r["layers"]) {
    line("  " + rpad(s(l["index"]), 2) + "  " + short_digest(s(l["digest"])) + "  " +
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
    if (!adds.empty()) line("      adds " + adds);
    if (!l["packages"].empty()) line("      packages " + joined(l["packages"], ", "));
  }
  if (r["layers"].empty()) line("  (none)");

  heading("Config");
  const auto& c = r["config"];
  line("  user        " + (c["user"] == "" ? std::string("(root)") : s(c["user"])));
  line("  workdir     " + (c["workdir"] == "" ? std::string("/") : s(c["workdir"])));
  line("  entrypoint  " + (c["entrypoint"].empty() ? std::string("-") : joined(c["entrypoint"])));
  line("  cmd         " + (c["cmd"].empty() ? std::string("-") : joined(c["cmd"])));
  for (const auto& e : c["env"]) line("  env         " + s(e));
  if (!c["exposed_ports"].empty()) line("  ports       " + joined(c["exposed_ports"]));
  for (auto& [k, v] : c["labels"].items()) line("  label       " + k + "=" + s(v));

  heading("OS");
  if (r["os"].is_null()) {
    line("  no os-release");
  } else {
    line("  " + s(r["os"]["pretty_name"]) + "  (id " + s(r["os"]["id"]) + ", version " +
         s(r["os"]["version_id"]) + ", " + s(r["os"]["path"]) + ")");
  }

  heading("Directories");
  for (const auto& d : r["skeleton"]) {
    if (!d["exists"].get<bool>()) continue;
    line("  " + pad(s(d["path"]), 16) + " " + pad(s(d["type"]), 10) + " " + s(d["mode"]) + " " +
         s(d["uid"]) + ":" + s(d["gid"]) + (d.contains("link") ? " -> " + s(d["link"]) : ""));
  }
  std::string absent;
  for (const auto& d : r["skeleton"]) {
    if (!d["exists"].get<bool>()) absent += " " + s(d["path"]);
  }
  if (!absent.empty()) line("  absent:" + absent);

  heading("Users and groups");
  if (!r["accounts"]["passwd_present"].get<bool>()) line("  no /etc/passwd");
  for (const auto& u : r["accounts"]["users"]) {
    line("  user  " + pad(s(u["name"]), 12) + " " + rpad(s(u["uid"]), 6) + ":" +
         pad(s(u["gid"]), 6) + " home " + s(u["home"]) +
         (u["home_exists"].get<bool>() ? "" : " (missing)") + "  shell " + s(u["shell"]));
  }
  for (const auto& g : r["accounts"]["groups"]) {
    line("  group " + pad(s(g["name"]), 12) + " " + rpad(s(g["gid"]), 6) +
         (g["members"].empty() ? "" : "  members " + joined(g["members"], ",")));
  }

  heading("Name service (nsswitch.conf)");
  if (r["nsswitch"].is_null()) {
    line("  no /etc/nsswitch.conf (glibc falls back to its built-in defaults)");
  } else {
    for (auto& [k, v] : r["nsswitch"]["databases"].items()) line("  " + pad(k + ":", 12) + s(v));
  }

  heading("CA certificates");
  if (r["ca_bundle"].is_null()) {
    line("  no CA bundle");
  } else {
    const auto& ca = r["ca_bundle"];
    line("  " + s(ca["path"]) + ": " + s(ca["certificates"]) + " certificates, earliest expiry " +
         s(ca["earliest_expiry"]) + " (" + s(ca["earliest_subject"]) + ")");
  }

  heading("Time zones");
  line("  " + s(r["timezones"]["count"]) + " zones in /usr/share/zoneinfo" +
       (r["timezones"]["has_utc"].get<bool>() ? ", UTC present" : ", no UTC zone file") +
       (r["timezones"]["localtime"].is_null()
            ? ""
            : ", /etc/localtime " + s(r["timezones"]["localtime"])));

  heading("Shared libraries");
  const auto& sl = r["shared_libraries"];
  line("  " + s(sl["count"]) + " libraries (" + size(sl["bytes"]) + "), glibc " +
       s(sl["glibc_version"]) + (sl["loaders"].empty() ? "" : ", loader " + joined(sl["loaders"])));

  heading("Packages (" + std::to_string(r["packages"].size()) + ")");
  for (const auto& p : r["packages"]) {
    line("  " + pad(s(p["name"]), 24) + " " + pad(s(p["version"]), 26) + " " +
         rpad(size(p["installed_size"]), 10) + "  " +
         (p["licenses"].is_null() ? std::string("(no copyright file)")
                                  : joined(p["licenses"], ", ")));
  }

  heading("Largest files");
  for (const auto& f : r["largest"]["files"]) {
    line("  " + rpad(size(f["size"]), 10) + "  " + s(f["path"]) + "  (layer " + s(f["layer"]) +
         ")");
  }
  heading("Largest directories");
  for (const auto& d : r["largest"]["directories"]) {
    line("  " + rpad(size(d["size"]), 10) + "  " + s(d["path"]) + "  (" + s(d["files"]) +
         " files)");
  }

  heading("Warnings (" + std::to_string(r["warnings"].size()) + ")");
  for (const auto& w : r["warnings"]) line("  " + s(w["code"]) + ": " + s(w["message"]));
  if (r["warnings"].empty()) line("  none");
  return o;
}

}  // namespace distill::inspect
