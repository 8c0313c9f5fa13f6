#include "sbom/license_expr.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "debian/deb822.h"
#include "util/error.h"
#include "util/strings.h"

namespace distill::sbom {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// DEP-5 and SPDX spell these the same apart from case.
const std::map<std::string, std::string>& plain_ids() {
  static const std::map<std::string, std::string> ids = {
      {"0bsd", "0BSD"},
      {"apache-1.0", "Apache-1.0"},
      {"apache-1.1", "Apache-1.1"},
      {"apache-2.0", "Apache-2.0"},
      {"artistic", "Artistic-1.0"},
      {"artistic-1.0", "Artistic-1.0"},
      {"artistic-2.0", "Artistic-2.0"},
      {"boost-1.0", "BSL-1.0"},
      {"bsd-2-clause", "BSD-2-Clause"},
      {"bsd-3-clause", "BSD-3-Clause"},
      {"bsd-4-clause", "BSD-4-Clause"},
      {"bsl-1.0", "BSL-1.0"},
      {"cc-by-3.0", "CC-BY-3.0"},
      {"cc-by-4.0", "CC-BY-4.0"},
      {"cc-by-sa-3.0", "CC-BY-SA-3.0"},
      {"cc-by-sa-4.0", "CC-BY-SA-4.0"},
      {"cc0", "CC0-1.0"},
      {"cc0-1.0", "CC0-1.0"},
      {"cddl-1.0", "CDDL-1.0"},
      {"curl", "curl"},
      {"epl-1.0", "EPL-1.0"},
      {"epl-2.0", "EPL-2.0"},
      {"expat", "MIT"},
      {"ftl", "FTL"},
      {"hpnd", "HPND"},
      {"ijg", "IJG"},
      {"isc", "ISC"},
      {"libpng", "Libpng"},
      {"libpng-2.0", "libpng-2.0"},
      {"mit", "MIT"},
      {"mpl-1.0", "MPL-1.0"},
      {"mpl-1.1", "MPL-1.1"},
      {"mpl-2.0", "MPL-2.0"},
      {"ntp", "NTP"},
      {"ofl-1.1", "OFL-1.1"},
      {"openssl", "OpenSSL"},
      {"postgresql", "PostgreSQL"},
      {"psf-2.0", "PSF-2.0"},
      {"python-2.0", "Python-2.0"},
      {"sleepycat", "Sleepycat"},
      {"tcl", "TCL"},
      {"unicode-dfs-2016", "Unicode-DFS-2016"},
      {"unlicense", "Unlicense"},
      {"w3c", "W3C"},
      {"wtfpl", "WTFPL"},
      {"x11", "X11"},
      {"zlib", "Zlib"},
      {"zpl-2.1", "ZPL-2.1"},
  };
  return ids;
}

const std::map<std::string, std::string>& exception_ids() {
  static const std::map<std::string, std::string> ids = {
      {"autoconf-exception-2.0", "Autoconf-exception-2.0"},
      {"autoconf-exception-3.0", "Autoconf-exception-3.0"},
      {"bison-exception-2.2", "Bison-exception-2.2"},
      {"classpath-exception-2.0", "Classpath-exception-2.0"},
      {"font-exception-2.0", "Font-exception-2.0"},
      {"gcc-exception-2.0", "GCC-exception-2.0"},
      {"gcc-exception-3.1", "GCC-exception-3.1"},
      {"libtool-exception", "Libtool-exception"},
      {"linux-syscall-note", "Linux-syscall-note"},
      {"llvm-exception", "LLVM-exception"},
  };
  return ids;
}

// GNU licenses: DEP-5 "GPL-2", "LGPL-2.1+", "GFDL-NIV-1.3" -> SPDX's
// -only / -or-later forms with a two-part version.
std::string gnu_id(const std::string& name, bool or_later) {
  static const std::pair<const char*, const char*> kFamilies[] = {
      {"gfdl-niv-", "GFDL-"}, {"agpl-", "AGPL-"}, {"lgpl-", "LGPL-"},
      {"gfdl-", "GFDL-"},     {"gpl-", "GPL-"},
  };
  for (const auto& [prefix, spdx] : kFamilies) {
    std::string p = prefix;
    if (name.compare(0, p.size(), p) != 0) continue;
    std::string v = name.substr(p.size());
    if (v.empty() || v.find_first_not_of("0123456789.") != std::string::npos) return "";
    if (v.find('.') == std::string::npos) v += ".0";
    std::string id = spdx + v;
    if (p == "gfdl-niv-") id += "-no-invariants";
    return id + (or_later ? "-or-later" : "-only");
  }
  if (name == "gpl") return "GPL-1.0-or-later";  // no version: any version
  if (name == "lgpl") return "LGPL-2.0-or-later";
  return "";
}

std::string ref_id(const std::string& name) {
  std::string id = "LicenseRef-";
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) || c == '.' ? c : '-';
  return id;
}

struct Parse {
  std::vector<LicenseRef>* refs;

  std::string ref(const std::string& name) {
    LicenseRef r{ref_id(name), name, ""};
    if (std::find_if(refs->begin(), refs->end(),
                     [&](const LicenseRef& x) { return x.id == r.id; }) == refs->end())
      refs->push_back(r);
    return r.id;
  }

  // NAME [with EXCEPTION... exception] starting at tokens[i]; advances i.
  std::optional<std::string> term(const std::vector<std::string>& t, size_t& i) {
    std::string name = t[i++];
    std::string l = lower(name);
    if (l == "and" || l == "or" || l == "with") return std::nullopt;
    bool plus = l.size() > 1 && l.back() == '+';
    std::string base = plus ? l.substr(0, l.size() - 1) : l;
    std::string id = gnu_id(base, plus);
    if (id.empty()) {
      auto it = plain_ids().find(base);
      if (it != plain_ids().end()) id = it->second + (plus ? "+" : "");
    }
    if (i < t.size() && lower(t[i]) == "with") {
      size_t j = i + 1;
      std::vector<std::string> words;
      while (j < t.size() && lower(t[j]) != "exception") words.push_back(t[j++]);
      if (j == t.size() || words.empty()) return std::nullopt;
      std::string exc;
      for (const auto& w : words) exc += (exc.empty() ? "" : " ") + w;
      i = j + 1;
      auto e = exception_ids().find(lower(exc));
      if (!id.empty() && e != exception_ids().end()) return id + " WITH " + e->second;
      return ref(name + " with " + exc + " exception");
    }
    return id.empty() ? ref(name) : id;
  }

  // Names joined by and/or (SPDX gives AND precedence, as DEP-5 does).
  std::optional<std::string> segment(const std::vector<std::string>& t, bool* has_op) {
    std::string out;
    size_t i = 0;
    while (true) {
      if (i >= t.size()) return std::nullopt;
      auto one = term(t, i);
      if (!one) return std::nullopt;
      out += *one;
      if (i == t.size()) return out;
      std::string op = lower(t[i++]);
      if (op != "and" && op != "or") return std::nullopt;  // free text, not an expression
      *has_op = true;
      out += op == "and" ? " AND " : " OR ";
    }
  }
};

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string first_line(std::string_view v) {
  return std::string(trim(v.substr(0, v.find('\n'))));
}

std::string rest_lines(std::string_view v) {
  size_t nl = v.find('\n');
  if (nl == std::string_view::npos) return "";
  return std::string(trim(debian::deb822_multiline(v.substr(nl + 1))));
}

}  // namespace

std::string spdx_license_id(std::string_view dep5_name) {
  std::string l = lower(dep5_name);
  bool plus = l.size() > 1 && l.back() == '+';
  std::string base = plus ? l.substr(0, l.size() - 1) : l;
  std::string id = gnu_id(base, plus);
  if (!id.empty()) return id;
  auto it = plain_ids().find(base);
  return it == plain_ids().end() ? "" : it->second + (plus ? "+" : "");
}

std::string dep5_expression(std::string_view line, std::vector<LicenseRef>& refs) {
  std::vector<LicenseRef> found;
  Parse p{&found};
  // ", and" / ", or" separate the top level; inside, and/or as in SPDX.
  std::vector<std::string> t = words(line);
  std::vector<std::vector<std::string>> segments(1);
  std::vector<std::string> ops;
  for (size_t i = 0; i < t.size(); ++i) {
    std::string w = t[i];
    bool comma = w.size() > 1 && w.back() == ',';
    if (comma) w.pop_back();
    segments.back().push_back(w);
    if (!comma) continue;
    if (i + 1 >= t.size()) return "";
    std::string op = lower(t[++i]);
    if (op != "and" && op != "or") return "";
    ops.push_back(op == "and" ? " AND " : " OR ");
    segments.emplace_back();
  }
  std::string out;
  for (size_t s = 0; s < segments.size(); ++s) {
    bool has_op = false;
    auto seg = p.segment(segments[s], &has_op);
    if (!seg) return "";
    std::string piece = has_op && segments.size() > 1 ? "(" + *seg + ")" : *seg;
    if (s == 0) {
      out = piece;
      continue;
    }
    // "A or B, and C, or D" folds left: ((A OR B) AND C) OR D.
    if (s >= 2 && ops[s - 1] != ops[s - 2]) out = "(" + out + ")";
    out += ops[s - 1] + piece;
  }
  for (auto& r : found) {
    r.text = "License \"" + r.name + "\" (no license text given).";
    if (std::find_if(refs.begin(), refs.end(), [&](const LicenseRef& x) { return x.id == r.id; }) ==
        refs.end())
      refs.push_back(std::move(r));
  }
  return out;
}

LicenseInfo copyright_license(std::string_view copyright, const std::string& where) {
  LicenseInfo info;
  std::vector<debian::Deb822Paragraph> paras;
  try {
    paras = debian::parse_deb822(copyright, where, debian::Deb822Options{true});
  } catch (const Error&) {
    return info;  // not deb822 at all: a free-form copyright file
  }
  if (paras.empty() || paras[0].get("Format").find("copyright-format/1.0") == std::string::npos)
    return info;
  std::map<std::string, std::string> texts;
  for (const auto& p : paras) {
    if (p.has("Files") || !p.has("License")) continue;
    texts.emplace(lower(first_line(p.get("License"))), rest_lines(p.get("License")));
  }
  std::vector<std::string> distinct;
  for (const auto& p : paras) {
    if (!p.has("Files")) continue;
    std::string line = first_line(p.get("License"));
    if (line.empty()) return {};
    std::string inline_text = rest_lines(p.get("License"));
    if (!inline_text.empty()) texts.emplace(lower(line), inline_text);
    // Same pass as dep5_expression, with the file's own license texts.
    std::vector<LicenseRef> refs;
    std::string expr = dep5_expression(line, refs);
    if (expr.empty()) return {};
    for (auto& r : refs) {
      auto it = texts.find(lower(r.name));
      r.text =
          it != texts.end() && !it->second.empty()
              ? it->second
              : "License \"" + r.name + "\" as named in " + where + " (no license text there).";
      if (std::find_if(info.refs.begin(), info.refs.end(),
                       [&](const LicenseRef& x) { return x.id == r.id; }) == info.refs.end())
        info.refs.push_back(std::move(r));
    }
    if (std::find(distinct.begin(), distinct.end(), expr) == distinct.end())
      distinct.push_back(expr);
  }
  for (const auto& e : distinct) {
    bool wrap = distinct.size() > 1 && e.find(" OR ") != std::string::npos;
    if (!info.expression.empty()) info.expression += " AND ";
    info.expression += wrap ? "(" + e + ")" : e;
  }
  return info;
}

std::string rename_license_ref(const std::string& expression, const std::string& from,
                               const std::string& to) {
  std::string out;
  size_t i = 0;
  while (i < expression.size()) {
    char c = expression[i];
    if (c == ' ' || c == '(' || c == ')') {
      out += c;
      ++i;
      continue;
    }
    size_t j = expression.find_first_of(" ()", i);
    if (j == std::string::npos) j = expression.size();
    std::string token = expression.substr(i, j - i);
    out += token == from ? to : token;
    i = j;
  }
  return out;
}

}  // namespace distill::sbom
