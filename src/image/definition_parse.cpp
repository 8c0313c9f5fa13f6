#include "image/definition_parse.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "image/definition.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::defparse {

YAML::Node load_yaml_file(const std::string& path, const std::string& what) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw Error(path + ": cannot read " + what + " file");
  } catch (const YAML::ParserException& e) {
    throw Error(path + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
  }
  if (!root || root.IsNull()) throw Error(path + ": the " + what + " is empty");
  return root;
}

std::string os_release_key(const Ctx& c, const YAML::Node& key) {
  std::string k = key.Scalar();
  bool ok = !k.empty() && std::all_of(k.begin(), k.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
  if (!ok) c.fail(key, "os-release key '" + k + "' must be upper-case letters, digits or _");
  return k;
}

std::string Ctx::at(const YAML::Node& n) const {
  return file + ":" + std::to_string(n.Mark().line + 1);
}

void Ctx::fail(const YAML::Node& n, const std::string& msg) const {
  throw Error(at(n) + ": " + msg);
}

namespace {

// Levenshtein distance, for "did you mean" on a mistyped key.
size_t distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

void check_keys(const Ctx& c, const YAML::Node& map, const std::string& what,
                const std::vector<std::string>& allowed) {
  if (!map.IsMap()) c.fail(map, what + " must be a mapping");
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string key = it->first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string list, near;
    for (const auto& a : allowed) {
      list += (list.empty() ? "" : ", ") + a;
      // Two edits at most, and fewer than half the key: "pakages", not "name".
      size_t d = distance(key, a);
      if (near.empty() && d <= 2 && d * 2 < a.size()) near = a;
    }
    c.fail(it->first, "unknown key '" + key + "' in " + what + " (allowed: " + list + ")" +
                          (near.empty() ? "" : "; did you mean '" + near + "'?"));
  }
}

std::string str(const Ctx& c, const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar()) c.fail(n, what + " must be a string");
  return n.Scalar();
}

bool boolean(const Ctx& c, const YAML::Node& n, const std::string& what) {
  std::string s = str(c, n, what);
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  c.fail(n, what + " must be true or false, not '" + s + "'");
}

uint32_t number(const Ctx& c, const YAML::Node& n, const std::string& what) {
  std::string s = str(c, n, what);
  char* end = nullptr;
  errno = 0;
  unsigned long v = std::strtoul(s.c_str(), &end, 10);
  if (s.empty() || *end || errno || v > 0xffffffffUL || s[0] == '-') {
    c.fail(n, what + " must be a non-negative integer, not '" + s + "'");
  }
  return static_cast<uint32_t>(v);
}

uint32_t mode(const Ctx& c, const YAML::Node& n) {
  return parse_mode(str(c, n, "mode"), c.at(n));
}

std::vector<std::string> string_list(const Ctx& c, const YAML::Node& n, const std::string& what) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) c.fail(n, what + " must be a list of strings");
  for (const auto& item : n) out.push_back(str(c, item, what + " item"));
  return out;
}

std::map<std::string, std::string> string_map(const Ctx& c, const YAML::Node& n,
                                              const std::string& what) {
  if (!n.IsMap()) c.fail(n, what + " must be a mapping of strings");
  std::map<std::string, std::string> out;
  for (auto it = n.begin(); it != n.end(); ++it) {
    out[it->first.Scalar()] = str(c, it->second, what + "." + it->first.Scalar());
  }
  return out;
}

std::string image_path(const Ctx& c, const YAML::Node& n, const std::string& what) {
  std::string p = str(c, n, what);
  if (p.empty() || p[0] != '/')
    c.fail(n, what + " '" + p + "' must be an absolute path in the image");
  for (size_t i = 0; i <= p.size();) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    if (p.compare(i, j - i, "..") == 0 && j - i == 2) {
      c.fail(n, what + " '" + p + "' must not contain '..' (it would escape the image root)");
    }
    i = j + 1;
  }
  return p;
}

std::string host_path(const Ctx& c, const YAML::Node& n, const std::string& what) {
  // Relative to the file that names it, so inheritance keeps it valid.
  std::string p = str(c, n, what);
  return (p.empty() || p[0] == '/') ? p : join_path(c.dir, p);
}

}  // namespace distill::defparse
