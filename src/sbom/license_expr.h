// SPDX license expressions from Debian machine-readable copyright files
// (DEP-5, copyright-format/1.0). inspect/license.h lists license names for
// reading; this keeps DEP-5's "and"/"or"/", and" structure and maps the
// short names to SPDX identifiers, so scanners can evaluate the result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace distill::sbom {

// A name with no SPDX identifier ("public-domain"), written LicenseRef-NAME
// in the expression and declared with its text in the document.
struct LicenseRef {
  std::string id;    // "LicenseRef-public-domain"
  std::string name;  // as the copyright file writes it
  std::string text;  // its stand-alone License paragraph, or a pointer to the file
  bool operator==(const LicenseRef&) const = default;
};

struct LicenseInfo {
  std::string expression;        // "" when the file is not DEP-5 or does not parse (NOASSERTION)
  std::vector<LicenseRef> refs;  // LicenseRefs the expression uses, in order of appearance
};

// The SPDX identifier for a DEP-5 short name ("GPL-2+" -> "GPL-2.0-or-later",
// "Expat" -> "MIT"), or "" when SPDX has none.
std::string spdx_license_id(std::string_view dep5_name);

// One DEP-5 License: line ("GPL-2+ or Artistic, and BSD-3-clause") as an
// SPDX expression ("(GPL-2.0-or-later OR Artistic-1.0) AND BSD-3-Clause");
// "" when it is not an expression (free text, a dangling operator).
// Unknown names become LicenseRef-NAME and are appended to `refs`.
std::string dep5_expression(std::string_view line, std::vector<LicenseRef>& refs);

// The declared license of a package: the distinct Files: paragraphs'
// expressions joined with AND. `where` names the file in LicenseRef texts.
LicenseInfo copyright_license(std::string_view copyright, const std::string& where);

// Replaces the LicenseRef token `from` with `to` in an expression.
std::string rename_license_ref(const std::string& expression, const std::string& from,
                               const std::string& to);

}  // namespace distill::sbom
