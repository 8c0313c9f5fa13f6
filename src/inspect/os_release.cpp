#include <cctype>
#include <map>
#include <string>

#include "inspect/facts.h"
#include "util/strings.h"

namespace distill::inspect {

std::map<std::string, std::string> parse_os_release(const std::string& text) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    std::string unescaped;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\\' && i + 1 < value.size()) ++i;
      unescaped += value[i];
    }
    out[key] = unescaped;
  }
  return out;
}

nlohmann::json os_release_facts(const MergedFs& fs) {
  // os-release(5): /etc/os-release wins, /usr/lib/os-release is the fallback.
  for (const char* path : {"etc/os-release", "usr/lib/os-release"}) {
    const std::string* text = fs.content(path);
    if (!text) continue;
    auto kv = parse_os_release(*text);
    nlohmann::json j;
    j["path"] = std::string("/") + path;
    for (const char* key :
         {"ID", "VERSION_ID", "VERSION_CODENAME", "PRETTY_NAME", "NAME", "HOME_URL"}) {
      auto it = kv.find(key);
      std::string name = lower(key);
      j[name] = it == kv.end() ? nlohmann::json(nullptr) : nlohmann::json(it->second);
    }
    if (const std::string* dv = fs.content("etc/debian_version")) {
      std::string v = *dv;
      while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
      j["debian_version"] = v;
    } else {
      j["debian_version"] = nullptr;
    }
    return j;
  }
  return nullptr;
}

}  // namespace distill::inspect
