#include "inspect/license.h"
#include "util/strings.h"

#include <algorithm>
#include <cctype>

namespace distill::inspect {

namespace {

void add(std::vector<std::string>& out, std::string name) {
  name = std::string(trim(name));
  while (!name.empty() && (name.back() == ',' || name.back() == ';')) name.pop_back();
  if (name.empty() || name.size() > 80) return;
  if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
}

// "GPL-2+ or Artistic-1.0, and BSD-3-clause" -> its names.
void add_expression(std::vector<std::string>& out, const std::string& expr) {
  std::string cur;
  std::string folded = lower(expr);
  size_t i = 0;
  while (i < expr.size()) {
    if (folded.compare(i, 4, " or ") == 0 || folded.compare(i, 5, " and ") == 0) {
      add(out, cur);
      cur.clear();
      i += folded.compare(i, 4, " or ") == 0 ? 4 : 5;
      continue;
    }
    if (expr[i] == '|' || expr[i] == '(' || expr[i] == ')') {
      add(out, cur);
      cur.clear();
      ++i;
      continue;
    }
    cur += expr[i++];
  }
  add(out, cur);
}

}  // namespace

std::vector<std::string> copyright_licenses(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (istarts_with(line, "License:")) {
      std::string value(trim(line.substr(8)));
      if (!value.empty()) add_expression(out, value);
    }
  }
  if (!out.empty()) return out;
  static constexpr std::string_view kCommon = "/usr/share/common-licenses/";
  for (size_t at = text.find(kCommon); at != std::string_view::npos;
       at = text.find(kCommon, at + 1)) {
    size_t i = at + kCommon.size();
    size_t j = i;
    while (j < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '.' || text[j] == '-' ||
            text[j] == '+' || text[j] == '_'))
      ++j;
    std::string name(text.substr(i, j - i));
    while (!name.empty() && name.back() == '.') name.pop_back();
    add(out, name);
  }
  return out;
}

std::string join_licenses(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += '\n';
    out += n;
  }
  return out;
}

std::vector<std::string> split_licenses(const std::string& joined) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < joined.size()) {
    size_t j = joined.find('\n', i);
    if (j == std::string::npos) j = joined.size();
    if (j > i) out.push_back(joined.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace distill::inspect
