#include "debian/apt_sources.h"

#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "util/error.h"
#include "util/fs.h"
#include "util/handles.h"
#include "util/log.h"
#include "util/strings.h"

namespace distill::debian {

namespace {

std::vector<std::string> split_ws(std::string_view s, std::string_view seps = " \t\r\n") {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t b = s.find_first_not_of(seps, i);
    if (b == std::string_view::npos) break;
    size_t e = s.find_first_of(seps, b);
    if (e == std::string_view::npos) e = s.size();
    out.emplace_back(s.substr(b, e - b));
    i = e;
  }
  return out;
}

bool supported_uri(const std::string& uri) {
  return uri.starts_with("http://") || uri.starts_with("https://") || uri.starts_with("file:/");
}

bool is_fingerprint(const std::string& s) {
  if (s.size() < 16) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// Signed-By accepts keyring paths and fingerprints; distill verifies with
// keyrings, so fingerprints are only reported.
void add_signed_by(AptSource& s, std::string_view value) {
  for (auto& item : split_ws(value, " \t,\r\n")) {
    if (is_fingerprint(item)) {
      log_verbose(s.where + ": Signed-By fingerprint " + item + " ignored (keyrings are used)");
      continue;
    }
    s.signed_by.push_back(item);
  }
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  DirPtr d = open_dir(dir);
  if (!d) return names;
  while (dirent* e = ::readdir(d.get())) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string under_root(const std::string& root, const std::string& path) {
  if (root.empty() || root == "/" || path.empty() || path[0] != '/') return path;
  return join_path(root, path.substr(1));
}

}  // namespace

std::vector<AptSource> parse_sources_list(std::string_view text, const std::string& where) {
  std::vector<AptSource> out;
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::string t(trim(line));
    if (t.empty()) continue;
    std::string loc = where + ":" + std::to_string(lineno);
    size_t sp = t.find_first_of(" \t");
    std::string type = t.substr(0, sp);
    if (type == "deb-src") continue;
    if (type != "deb") throw Error(loc + ": unknown source type '" + type + "' (expected deb)");
    std::string rest(sp == std::string::npos ? std::string_view{}
                                             : trim(std::string_view(t).substr(sp)));
    AptSource s;
    s.where = loc;
    if (rest.starts_with("[")) {
      size_t close = rest.find(']');
      if (close == std::string::npos) throw Error(loc + ": unterminated [options]");
      for (auto& opt : split_ws(rest.substr(1, close - 1))) {
        size_t eq = opt.find('=');
        if (eq == std::string::npos) continue;
        std::string key = lower(opt.substr(0, eq));
        std::string val = opt.substr(eq + 1);
        if (key == "signed-by") add_signed_by(s, val);
        if (key == "arch") s.architectures = split_ws(val, ",");
      }
      rest = std::string(trim(std::string_view(rest).substr(close + 1)));
    }
    auto words = split_ws(rest);
    if (words.size() < 2) throw Error(loc + ": expected 'deb URI SUITE [COMPONENT...]'");
    s.uri = strip_trailing_slashes(words[0]);
    s.suites = {words[1]};
    s.components.assign(words.begin() + 2, words.end());
    if (!supported_uri(s.uri)) {
      log_warn(loc + ": skipping source with unsupported URI " + s.uri);
      continue;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<AptSource> parse_deb822_sources(std::string_view text, const std::string& where) {
  std::vector<AptSource> out;
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  std::vector<std::pair<std::string, std::string>> fields;
  int stanza_line = 0;
  std::string* last = nullptr;

  auto flush = [&] {
    if (fields.empty()) return;
    std::string loc = where + ":" + std::to_string(stanza_line);
    std::map<std::string, std::string> f;
    for (auto& [k, v] : fields) f[lower(k)] = v;
    fields.clear();
    last = nullptr;
    if (lower(std::string(trim(f["enabled"]))) == "no") return;
    auto types = split_ws(f["types"]);
    if (std::find(types.begin(), types.end(), "deb") == types.end()) return;
    auto uris = split_ws(f["uris"]);
    auto suites = split_ws(f["suites"]);
    if (uris.empty() || suites.empty()) throw Error(loc + ": stanza needs URIs: and Suites:");
    for (auto& uri : uris) {
      AptSource s;
      s.where = loc;
      s.uri = strip_trailing_slashes(uri);
      s.suites = suites;
      s.components = split_ws(f["components"]);
      s.architectures = split_ws(f["architectures"]);
      std::string sb = f["signed-by"];
      if (sb.find("-----BEGIN PGP PUBLIC KEY BLOCK-----") != std::string::npos) {
        s.signed_by_key = std::string(trim(sb)) + "\n";
      } else {
        add_signed_by(s, sb);
      }
      if (!supported_uri(s.uri)) {
        log_warn(loc + ": skipping source with unsupported URI " + s.uri);
        continue;
      }
      out.push_back(std::move(s));
    }
  };

  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("#")) continue;
    if (trim(line).empty()) {
      flush();
      continue;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      if (!last)
        throw Error(where + ":" + std::to_string(lineno) + ": continuation line without a field");
      std::string cont(trim(line));
      // deb822 writes an empty line inside a value as " .".
      if (cont == ".") cont.clear();
      *last += "\n" + cont;
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos)
      throw Error(where + ":" + std::to_string(lineno) + ": expected 'Field: value'");
    if (fields.empty()) stanza_line = lineno;
    fields.emplace_back(std::string(trim(line.substr(0, colon))),
                        std::string(trim(line.substr(colon + 1))));
    last = &fields.back().second;
  }
  flush();
  return out;
}

std::vector<AptSource> read_apt_sources(const std::string& root) {
  std::string etc = under_root(root, "/etc/apt");
  std::vector<AptSource> out;
  auto take = [&](std::vector<AptSource> v) {
    for (auto& s : v) {
      for (auto& k : s.signed_by) k = under_root(root, k);
      out.push_back(std::move(s));
    }
  };
  std::string main_list = join_path(etc, "sources.list");
  if (path_exists(main_list)) take(parse_sources_list(read_file(main_list), main_list));
  std::string d = join_path(etc, "sources.list.d");
  for (const auto& name : list_dir(d)) {
    std::string p = join_path(d, name);
    if (name.ends_with(".list")) {
      take(parse_sources_list(read_file(p), p));
    } else if (name.ends_with(".sources")) {
      take(parse_deb822_sources(read_file(p), p));
    }
  }
  return out;
}

// ---- apt.conf ---------------------------------------------------------------

std::map<std::string, std::string> parse_apt_conf(std::string_view text, const std::string& where) {
  std::map<std::string, std::string> out;
  std::vector<std::string> scope;
  std::string key;
  size_t i = 0;
  int line = 1;
  auto fail = [&](const std::string& what) {
    throw Error(where + ":" + std::to_string(line) + ": " + what);
  };
  auto full_key = [&](const std::string& k) {
    std::string r;
    for (auto& s : scope) r += s + "::";
    return lower(r + k);
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '\n') ++line;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '#' || text.substr(i, 2) == "//") {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (text.substr(i, 2) == "/*") {
      size_t e = text.find("*/", i + 2);
      if (e == std::string_view::npos) fail("unterminated comment");
      for (size_t k = i; k < e; ++k) line += text[k] == '\n';
      i = e + 2;
      continue;
    }
    if (c == '"') {
      size_t e = text.find('"', i + 1);
      if (e == std::string_view::npos) fail("unterminated string");
      std::string value(text.substr(i + 1, e - i - 1));
      i = e + 1;
      // A bare value inside a block is a list item (APT::NeverAutoRemove
      // { "^linux-image.*"; };): lists carry nothing distill reads.
      if (key.empty()) continue;
      out[full_key(key)] = value;
      key.clear();
      continue;
    }
    if (c == '{') {
      if (key.empty()) fail("'{' without a key");
      scope.push_back(key);
      key.clear();
      ++i;
      continue;
    }
    if (c == '}') {
      if (scope.empty()) fail("unbalanced '}'");
      scope.pop_back();
      ++i;
      continue;
    }
    if (c == ';') {
      key.clear();
      ++i;
      continue;
    }
    size_t e = i;
    while (e < text.size() && !std::isspace(static_cast<unsigned char>(text[e])) &&
           text[e] != '"' && text[e] != ';' && text[e] != '{' && text[e] != '}')
      ++e;
    std::string word(text.substr(i, e - i));
    i = e;
    if (key.empty()) {
      key = word;
    } else {
      // Unquoted value (apt accepts it for simple words).
      out[full_key(key)] = word;
      key.clear();
    }
  }
  return out;
}

std::map<std::string, std::string> read_apt_conf(const std::string& root) {
  std::map<std::string, std::string> conf;
  std::string etc = under_root(root, "/etc/apt");
  auto merge = [&](const std::string& p) {
    for (auto& [k, v] : parse_apt_conf(read_file(p), p)) conf[k] = v;
  };
  std::string main_conf = join_path(etc, "apt.conf");
  if (path_exists(main_conf)) merge(main_conf);
  std::string d = join_path(etc, "apt.conf.d");
  for (const auto& name : list_dir(d)) {
    // apt ignores files with other characters (e.g. editor backups).
    bool ok = std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
    if (!ok || name.ends_with(".dpkg-old") || name.ends_with(".dpkg-dist") ||
        name.ends_with(".disabled"))
      continue;
    std::string p = join_path(d, name);
    if (!is_directory(p)) merge(p);
  }
  return conf;
}

net::ProxyConfig apt_proxy_config(const std::map<std::string, std::string>& conf) {
  net::ProxyConfig p;
  const std::string kHttp = "acquire::http::proxy", kHttps = "acquire::https::proxy";
  for (const auto& [k, v] : conf) {
    if (k == kHttp) p.http = v;
    if (k == kHttps) p.https = v;
    for (const auto* prefix : {&kHttp, &kHttps}) {
      if (k.size() > prefix->size() + 2 && k.starts_with(*prefix + "::")) {
        std::string host = k.substr(prefix->size() + 2);
        p.per_host[host] = (v == "DIRECT" || v == "direct") ? "DIRECT" : v;
      }
    }
  }
  // apt's https method falls back to the http proxy setting.
  if (p.https.empty()) p.https = p.http;
  if (p.http == "DIRECT") p.http.clear();
  if (p.https == "DIRECT") p.https.clear();
  return p;
}

}  // namespace distill::debian
