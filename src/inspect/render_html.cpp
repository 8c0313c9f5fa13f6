// The HTML report: one page with the report embedded as JSON and a small
// script that builds the tables and two squarified treemaps (by directory
// and by package); the same tables and static treemaps are written into the
// page at build time (render_static.cpp) for a reader without JavaScript. Everything is inline so
// the page works offline and can be attached to a ticket; data is inserted with textContent, never
// as markup, because file names come from the image. The page, style and script are
// src/inspect/report/*, compiled in (report_assets.h).
#include <string>

#include "inspect/render.h"
#include "inspect/report_assets.h"

namespace distill::inspect {

namespace {

// JSON inside <script>: "<" only occurs inside strings, where \u003c is
// the same character, so "</script>" in a file name cannot end the block.
std::string script_json(const nlohmann::json& j) {
  std::string raw = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string render_html(const nlohmann::json& report, const nlohmann::json& dir_tree) {
  std::string out(report_page());
  render_static(out, report, dir_tree);
  out += "<script id=\"report\" type=\"application/json\">" + script_json(report) + "</script>\n";
  out +=
      "<script id=\"dirtree\" type=\"application/json\">" + script_json(dir_tree) + "</script>\n";
  out += "<script>\n";
  out += report_script();
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace distill::inspect
