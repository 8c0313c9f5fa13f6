// The HTML report as it reads without JavaScript: the summary cards, the
// warnings, the config and system sections, the tables and two treemaps
// (inline SVG, squarified here as the script does in the browser) written
// into the page's containers at build time. The script, when it runs,
// replaces each container's content with its interactive version.
// Everything from the image is escaped: file and package names are data.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "inspect/render.h"
#include "util/log.h"

namespace distill::inspect {

namespace {

std::string static_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string static_text(const nlohmann::json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + static_text(x);
    return out.empty() ? "-" : out;
  }
  return v.dump();
}

// j[key], or null when `j` has no such key (the const operator[] must not
// be asked for a missing one).
const nlohmann::json& static_field(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNone;
  return j.is_object() && j.contains(key) ? j[key] : kNone;
}

// A column: its heading, whether it is a number, and the cell's text.
struct StaticColumn {
  std::string heading;
  bool number;
  std::function<std::string(const nlohmann::json&)> cell;
};

std::string static_table(const std::vector<StaticColumn>& cols, const nlohmann::json& rows,
                         const std::string& empty) {
  if (!rows.is_array() || rows.empty())
    return "<p class=\"muted\">" + static_escape(empty) + "</p>";
  std::string out = "<table><thead><tr>";
  for (const auto& c : cols)
    out += std::string("<th") + (c.number ? " class=\"num\"" : "") + ">" + c.heading + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& c : cols)
      out += std::string("<td") + (c.number ? " class=\"num\"" : "") + ">" +
             static_escape(c.cell(row)) + "</td>";
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

StaticColumn text_col(const std::string& h, const std::string& key) {
  return {h, false,
          [key](const nlohmann::json& r) { return static_text(r.value(key, nlohmann::json())); }};
}
StaticColumn num_col(const std::string& h, const std::string& key) {
  return {h, true,
          [key](const nlohmann::json& r) { return static_text(r.value(key, nlohmann::json())); }};
}
StaticColumn size_col(const std::string& h, const std::string& key) {
  return {h, true, [key](const nlohmann::json& r) {
            const auto& v = r.value(key, nlohmann::json());
            return v.is_number() ? human_size(v.get<uint64_t>()) : std::string("-");
          }};
}

struct StaticBox {
  const nlohmann::json* node;
  double x, y, w, h;
};

// Squarified layout (Bruls, Huizing, van Wijk) of `items` in the rectangle.
std::vector<StaticBox> static_squarify(std::vector<const nlohmann::json*> items, double x, double y,
                                       double w, double h) {
  std::vector<StaticBox> out;
  double total = 0;
  for (const auto* it : items) total += (*it)["size"].get<double>();
  if (total <= 0 || w <= 1 || h <= 1) return out;
  std::sort(items.begin(), items.end(), [](const nlohmann::json* a, const nlohmann::json* b) {
    return (*a)["size"].get<double>() > (*b)["size"].get<double>();
  });
  double scale = w * h / total;
  auto area = [&](const nlohmann::json* it) { return (*it)["size"].get<double>() * scale; };
  auto worst = [](double sum, double mx, double mn, double side) {
    return std::max(side * side * mx / (sum * sum), sum * sum / (side * side * mn));
  };
  size_t i = 0;
  while (i < items.size() && area(items[i]) > 0) {
    double side = std::min(w, h), sum = area(items[i]), mx = sum, mn = sum;
    size_t j = i + 1;
    for (; j < items.size() && area(items[j]) > 0; ++j) {
      double a = area(items[j]);
      if (worst(sum + a, std::max(mx, a), std::min(mn, a), side) > worst(sum, mx, mn, side)) break;
      sum += a, mx = std::max(mx, a), mn = std::min(mn, a);
    }
    double along = 0;
    for (size_t k = i; k < j; ++k) {
      double a = area(items[k]);
      if (w >= h) {
        out.push_back({items[k], x, y + along, sum / h, a / (sum / h)});
        along += a / (sum / h);
      } else {
        out.push_back({items[k], x + along, y, a / (sum / w), sum / w});
        along += a / (sum / w);
      }
    }
    if (w >= h) {
      x += sum / h, w -= sum / h;
    } else {
      y += sum / w, h -= sum / w;
    }
    i = j;
  }
  return out;
}

// The boxes of `node`'s children, and of their children where there is
// room: every box has a tooltip (<title>), a label only where it fits.
void static_place(const nlohmann::json& node, double x, double y, double w, double h, int depth,
                  int hue, std::string& svg) {
  std::vector<const nlohmann::json*> kids;
  for (const auto& c : static_field(node, "children")) kids.push_back(&c);
  int idx = 0;
  for (const auto& b : static_squarify(kids, x, y, w, h)) {
    int h0 = depth == 0 ? idx++ : hue;
    std::string name = (*b.node)["name"].get<std::string>();
    std::string size = human_size((*b.node)["size"].get<uint64_t>());
    char rect[200];
    std::snprintf(rect, sizeof rect,
                  "<g><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                  "fill=\"hsl(%d,55%%,%d%%)\" stroke=\"#fff\"/>",
                  b.x, b.y, b.w, b.h, (h0 * 47) % 360, std::min(88, 62 + depth * 9));
    svg += rect;
    svg += "<title>" + static_escape(name + "  " + size) + "</title>";
    if (b.h > 14 && static_cast<double>(name.size()) * 6.2 + 6 < b.w) {
      char at[64];
      std::snprintf(at, sizeof at, "<text x=\"%.1f\" y=\"%.1f\">", b.x + 3, b.y + 12);
      svg += at + static_escape(name) + "</text>";
    }
    svg += "</g>";
    if (depth < 1 && b.w > 60 && b.h > 50)
      static_place(*b.node, b.x + 3, b.y + 16, b.w - 6, b.h - 19, depth + 1, h0, svg);
  }
}

std::string static_treemap(const nlohmann::json& root) {
  std::string svg =
      "<svg class=\"static-map\" viewBox=\"0 0 560 380\" role=\"img\" font-size=\"11\" "
      "xmlns=\"http://www.w3.org/2000/svg\">";
  static_place(root, 0, 0, 560, 380, 0, 0, svg);
  return svg + "</svg>";
}

// Puts `html` into the element whose opening tag ends `id="ID">`.
void static_fill(std::string& page, const std::string& id, const std::string& html) {
  std::string tag = "id=\"" + id + "\">";
  size_t at = page.find(tag);
  if (at != std::string::npos) page.insert(at + tag.size(), html);
}

// The script's show(): "-" for nothing, words joined by spaces.
std::string static_show(const nlohmann::json& v) {
  if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) return "-";
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : " ") + static_text(x);
    return out.empty() ? "-" : out;
  }
  return static_text(v);
}

// `items` joined by newlines: one line each in a pre-wrap cell.
std::string static_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : "\n") + i;
  return out;
}

// A two-column table without headings (the script's kv(): "-" for an empty
// value).
std::string static_kv(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out = "<table><tbody>";
  for (const auto& [k, v] : pairs)
    out += "<tr><td>" + static_escape(k) + "</td><td class=\"mono\">" +
           static_escape(v.empty() ? "-" : v) + "</td></tr>";
  return out + "</tbody></table>";
}

std::string static_string(const nlohmann::json& j, const char* key) {
  const auto& v = static_field(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// The summary cards and the warnings list.
void static_summary(std::string& page, const nlohmann::json& r) {
  auto count = [&](const char* key) { return std::to_string(static_field(r, key).size()); };
  const auto& size = static_field(r, "size");
  auto bytes = [&](const char* key) {
    const auto& v = static_field(size, key);
    return v.is_number() ? human_size(v.get<uint64_t>()) : std::string("-");
  };
  std::string cards;
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"compressed", bytes("compressed")},
           {"uncompressed", bytes("uncompressed")},
           {"files", static_text(static_field(static_field(r, "files"), "total"))},
           {"layers", count("layers")},
           {"packages", count("packages")},
           {"warnings", count("warnings")}})
    cards += "<div class=\"card\"><div class=\"v\">" + static_escape(v) +
             "</div><div class=\"k\">" + static_escape(k) + "</div></div>";
  static_fill(page, "cards", cards);
  std::string list;
  for (const auto& w : static_field(r, "warnings"))
    list += "<li class=\"warn\">" +
            static_escape(static_string(w, "code") + ": " + static_string(w, "message")) + "</li>";
  static_fill(
      page, "warnings",
      list.empty() ? "<p class=\"muted\">none</p>" : "<ul class=\"warnings\">" + list + "</ul>");
  static_fill(page, "packages-title", "Packages (" + count("packages") + ")");
}

// The Config section, row for row as the script writes it.
void static_config(std::string& page, const nlohmann::json& r) {
  const auto& c = static_field(r, "config");
  std::vector<std::string> env, labels;
  for (const auto& e : static_field(c, "env")) env.push_back(static_text(e));
  const auto& l = static_field(c, "labels");
  if (l.is_object())
    for (const auto& [k, v] : l.items()) labels.push_back(k + "=" + static_text(v));
  std::string user = static_string(c, "user"), workdir = static_string(c, "workdir");
  static_fill(page, "config",
              static_kv({{"user", user.empty() ? "(root)" : user},
                         {"workdir", workdir.empty() ? "/" : workdir},
                         {"entrypoint", static_show(static_field(c, "entrypoint"))},
                         {"cmd", static_show(static_field(c, "cmd"))},
                         {"env", static_lines(env)},
                         {"ports", static_show(static_field(c, "exposed_ports"))},
                         {"labels", static_lines(labels)},
                         {"created", static_string(c, "created")}}));
}

// The System section, row for row as the script writes it.
void static_system(std::string& page, const nlohmann::json& r) {
  const auto& os = static_field(r, "os");
  const auto& ca = static_field(r, "ca_bundle");
  const auto& tz = static_field(r, "timezones");
  const auto& sl = static_field(r, "shared_libraries");
  const auto& ns = static_field(r, "nsswitch");
  std::vector<std::string> databases;
  const auto& dbs = static_field(ns, "databases");
  if (dbs.is_object())
    for (const auto& [k, v] : dbs.items()) databases.push_back(k + ": " + static_text(v));
  const auto& utc = static_field(tz, "has_utc");
  std::string os_line = "no os-release", ca_line = "none";
  if (os.is_object())
    os_line = static_show(static_field(os, "pretty_name")) + " (" +
              static_show(static_field(os, "id")) + " " +
              static_show(static_field(os, "version_id")) + ")";
  if (ca.is_object())
    ca_line = static_text(static_field(ca, "certificates")) + " certificates, earliest expiry " +
              static_show(static_field(ca, "earliest_expiry"));
  static_fill(
      page, "system",
      static_kv({{"os", os_line},
                 {"CA bundle", ca_line},
                 {"time zones", static_text(static_field(tz, "count")) +
                                    (utc.is_boolean() && utc.get<bool>() ? " (UTC present)" : "")},
                 {"shared libraries", static_text(static_field(sl, "count")) + ", glibc " +
                                          static_show(static_field(sl, "glibc_version"))},
                 {"nsswitch", ns.is_object() ? static_lines(databases) : "absent"}}));
}

// The directory skeleton: the paths that exist, as the script lists them.
std::string static_skeleton(const nlohmann::json& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& d : static_field(r, "skeleton")) {
    const auto& exists = static_field(d, "exists");
    if (exists.is_boolean() && exists.get<bool>()) rows.push_back(d);
  }
  StaticColumn owner{"owner", false, [](const nlohmann::json& d) {
                       return static_text(static_field(d, "uid")) + ":" +
                              static_text(static_field(d, "gid"));
                     }};
  StaticColumn link{"link", false,
                    [](const nlohmann::json& d) { return static_show(static_field(d, "link")); }};
  return static_table(
      {text_col("path", "path"), text_col("type", "type"), text_col("mode", "mode"), owner, link},
      rows, "none");
}

}  // namespace

void render_static(std::string& page, const nlohmann::json& r, const nlohmann::json& dir_tree) {
  static_fill(page, "title", static_escape(r.value("reference", "")));
  static_fill(page, "digest",
              static_escape(r.value("digest", "") + "  " + r.value("platform", "")));
  static_summary(page, r);
  static_config(page, r);
  static_system(page, r);
  static_fill(page, "skeleton", static_skeleton(r));
  static_fill(page, "dir-map", static_treemap(dir_tree));
  static_fill(page, "dir-crumbs", "/  " + human_size(dir_tree.value("size", uint64_t{0})));
  nlohmann::json pkg_root{{"name", "packages"}, {"children", nlohmann::json::array()}};
  for (const auto& p : static_field(r, "packages"))
    pkg_root["children"].push_back({{"name", p.value("name", "") + " " + p.value("version", "")},
                                    {"size", p.value("installed_size", uint64_t{0})}});
  static_fill(page, "pkg-map",
              static_field(r, "packages").empty()
                  ? "<p class=\"muted\">no dpkg database in this image</p>"
                  : static_treemap(pkg_root));
  StaticColumn adds{"adds", false, [](const nlohmann::json& l) {
                      std::string out;
                      for (const auto& a : static_field(l, "adds"))
                        out += (out.empty() ? "" : ", ") + a.value("path", "") + " " +
                               human_size(a.value("bytes", uint64_t{0}));
                      return out;
                    }};
  static_fill(
      page, "layers",
      static_table({num_col("#", "index"), text_col("packages", "packages"),
                    size_col("compressed", "compressed_size"),
                    size_col("uncompressed", "uncompressed_size"), num_col("entries", "entries"),
                    adds, num_col("replaces", "replaced"), num_col("removes", "removed"),
                    text_col("created by", "created_by"), text_col("digest", "digest")},
                   static_field(r, "layers"), "no layers"));
  static_fill(page, "users",
              static_table({text_col("name", "name"), num_col("uid", "uid"), num_col("gid", "gid"),
                            text_col("home", "home"), text_col("shell", "shell")},
                           static_field(static_field(r, "accounts"), "users"), "no /etc/passwd"));
  static_fill(page, "groups",
              static_table(
                  {text_col("name", "name"), num_col("gid", "gid"), text_col("members", "members")},
                  static_field(static_field(r, "accounts"), "groups"), "no /etc/group"));
  static_fill(
      page, "packages",
      static_table({text_col("name", "name"), text_col("version", "version"),
                    text_col("arch", "architecture"), size_col("installed size", "installed_size"),
                    text_col("licenses", "licenses")},
                   static_field(r, "packages"), "no dpkg database"));
  static_fill(
      page, "largest-files",
      static_table({size_col("size", "size"), text_col("path", "path"), num_col("layer", "layer")},
                   static_field(static_field(r, "largest"), "files"), "none"));
  static_fill(
      page, "largest-dirs",
      static_table({size_col("size", "size"), text_col("path", "path"), num_col("files", "files")},
                   static_field(static_field(r, "largest"), "directories"), "none"));
}

}  // namespace distill::inspect
