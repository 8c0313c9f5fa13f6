// Renderers over the inspect report (report.h) and the diff (diff.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "inspect/merged_fs.h"

namespace distill::inspect {

std::string render_text(const nlohmann::json& report);
// One self-contained HTML page: inline CSS and JS, no network access.
// `dir_tree` is directory_size_tree() of the image.
std::string render_html(const nlohmann::json& report, const nlohmann::json& dir_tree);
// Writes the report's tables and treemaps (inline SVG) into the containers
// of `page` (the report page), so the page reads without JavaScript.
void render_static(std::string& page, const nlohmann::json& report, const nlohmann::json& dir_tree);
// The merged tree below `path` ("" = root), one line per entry: mode,
// owner, size, path (-> link), layer.
std::string render_tree(const MergedFs& fs, const std::string& path);
nlohmann::json tree_json(const MergedFs& fs, const std::string& path);

}  // namespace distill::inspect
