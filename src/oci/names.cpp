#include "oci/names.h"

#include <cstdio>

namespace distill::oci {

namespace {

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool tag_char(char c) {
  return lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '-';
}

// "'!'", "' ' (a space)" or "byte 0x07": a character as a user can find it.
std::string describe(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (c == ' ') return "' ' (a space)";
  if (u < 0x20 || u >= 0x7f) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02x", u);
    return buf;
  }
  return std::string("'") + c + "'";
}

// The part [begin, end) of `text` checked, and how to name it in messages.
struct Span {
  const std::string& text;
  size_t begin, end;
  const std::string& what;
  char operator[](size_t i) const { return text[begin + i]; }
  size_t size() const { return end - begin; }
  std::string bad(size_t i, const std::string& rule) const {
    return what + " '" + text + "': " + describe(text[begin + i]) + " at position " +
           std::to_string(begin + i + 1) + " is not allowed" + rule;
  }
};

constexpr const char* kTagRule =
    "; a tag is 1-128 letters, digits, '_', '.' and '-', not starting with '.' or '-'";
constexpr const char* kComponentRule =
    "; repository path components are lowercase letters and digits joined by '.', '_', '__' or "
    "'-'";

std::string check_tag(const Span& t) {
  if (t.size() == 0) return t.what + " '" + t.text + "': the tag is empty" + kTagRule;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!tag_char(t[i]) || (i == 0 && (t[i] == '.' || t[i] == '-'))) return t.bad(i, kTagRule);
  }
  if (t.size() > 128)
    return t.what + " '" + t.text + "': the tag is " + std::to_string(t.size()) +
           " characters long; at most 128 are allowed";
  return "";
}

// Index in `c` of the first character breaking the component grammar, or
// npos. A separator must stand between two letters or digits.
size_t bad_component_char(const Span& c) {
  if (c.size() == 0) return 0;
  for (size_t i = 0; i < c.size(); ++i) {
    if (lower_alnum(c[i])) continue;
    if ((c[i] != '.' && c[i] != '_' && c[i] != '-') || i == 0) return i;
    size_t j = i;
    if (c[i] == '-') {
      while (j + 1 < c.size() && c[j + 1] == '-') ++j;
    } else if (c[i] == '_' && j + 1 < c.size() && c[j + 1] == '_') {
      ++j;
    }
    if (j + 1 >= c.size()) return i;           // a separator at the end
    if (!lower_alnum(c[j + 1])) return j + 1;  // two separators in a row
    i = j;
  }
  return std::string::npos;
}

std::string check_host(const Span& h) {
  size_t colon = std::string::npos;
  for (size_t i = 0; i < h.size(); ++i) {
    char c = h[i];
    bool ok = colon != std::string::npos
                  ? c >= '0' && c <= '9'
                  : tag_char(c) && c != '_' && !(c == '.' && (i == 0 || i + 1 == h.size()));
    if (c == ':' && colon == std::string::npos && i > 0 && i + 1 < h.size()) {
      colon = i;
      ok = true;
    }
    if (!ok) return h.bad(i, "; a registry host is HOST[:PORT]");
  }
  return "";
}

std::string check_repository(const Span& n) {
  if (n.size() == 0) return n.what + " '" + n.text + "': the repository name is empty";
  size_t start = 0;
  for (size_t i = 0; i < n.size(); ++i) {
    if (n[i] != '/') continue;
    Span head{n.text, n.begin, n.begin + i, n.what};
    bool host = false;
    for (size_t k = 0; k < head.size(); ++k) host = host || head[k] == '.' || head[k] == ':';
    if (host || n.text.compare(n.begin, i, "localhost") == 0) {
      if (std::string p = check_host(head); !p.empty()) return p;
      start = i + 1;
    }
    break;
  }
  if (n.size() - start > 255)
    return n.what + " '" + n.text + "': the repository name is longer than 255 characters";
  while (start <= n.size()) {
    size_t end = start;
    while (end < n.size() && n[end] != '/') ++end;
    Span comp{n.text, n.begin + start, n.begin + end, n.what};
    if (size_t bad = bad_component_char(comp); bad != std::string::npos) {
      if (comp.size() == 0)
        return n.what + " '" + n.text + "': empty path component at position " +
               std::to_string(n.begin + start + 1) + kComponentRule;
      return comp.bad(bad, kComponentRule);
    }
    start = end + 1;
  }
  return "";
}

}  // namespace

std::string tag_problem(const std::string& tag, const std::string& what) {
  return check_tag(Span{tag, 0, tag.size(), what});
}

std::string repository_problem(const std::string& name, const std::string& what) {
  return check_repository(Span{name, 0, name.size(), what});
}

std::string tag_flag_problem(const std::string& value, const std::string& what) {
  size_t slash = value.rfind('/');
  size_t colon = value.rfind(':');
  bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  if (!has_tag && slash == std::string::npos) return tag_problem(value, what);
  size_t name_end = has_tag ? colon : value.size();
  if (std::string p = check_repository(Span{value, 0, name_end, what}); !p.empty()) return p;
  return has_tag ? check_tag(Span{value, colon + 1, value.size(), what}) : "";
}

}  // namespace distill::oci
