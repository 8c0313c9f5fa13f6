// The HTML report's page and script, kept as their own files in
// src/inspect/report/ (page.html, style.css, script.js) and compiled in by
// cmake/embed_report.cmake, so the report works offline from one file.
#pragma once

#include <string_view>

namespace distill::inspect {

// page.html with style.css inlined at its "@style.css@" line: everything of
// the report up to and including </main>, before the embedded data.
std::string_view report_page();

// script.js: builds the tables and treemaps from the embedded JSON.
std::string_view report_script();

}  // namespace distill::inspect
