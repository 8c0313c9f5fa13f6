// The HTML report as it reads without JavaScript: the tables and two
// treemaps (inline SVG, squarified here as the script does in the browser)
// written into the page's containers at build time. The script, when it
// runs, replaces each container's content with its interactive version.
// Everything from the image is escaped: file and package names are data.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
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

}  // namespace

void render_static(std::string& page, const nlohmann::json& r, const nlohmann::json& dir_tree) {
  static_fill(page, "title", static_escape(r.value("reference", "")));
  static_fill(page, "digest",
              static_escape(r.value("digest", "") + "  " + r.value("platform", "")));
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
