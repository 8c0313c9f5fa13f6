#include "util/strings.h"

namespace distill {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

char lower_char(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string strip_trailing_slashes(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = lower_char(c);
  return r;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && istarts_with(a, b);
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (lower_char(s[i]) != lower_char(prefix[i])) return false;
  }
  return true;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (;;) {
    size_t j = s.find(sep);
    out.emplace_back(s.substr(0, j));
    if (j == std::string_view::npos) return out;
    s.remove_prefix(j + 1);
  }
}

std::vector<std::string> split_list(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (const auto& item : split(s, sep)) {
    std::string_view t = trim(item);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

}  // namespace distill
