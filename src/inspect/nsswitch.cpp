#include <string>

#include "inspect/facts.h"

namespace distill::inspect {

nlohmann::json nsswitch_facts(const MergedFs& fs) {
  const std::string* text = fs.content("etc/nsswitch.conf");
  if (!text) return nullptr;
  nlohmann::json out;
  out["path"] = "/etc/nsswitch.conf";
  nlohmann::json db = nlohmann::json::object();
  size_t pos = 0;
  while (pos < text->size()) {
    size_t eol = text->find('\n', pos);
    if (eol == std::string::npos) eol = text->size();
    std::string line = text->substr(pos, eol - pos);
    pos = eol + 1;
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    auto trim = [](std::string s) {
      size_t b = s.find_first_not_of(" \t\r");
      size_t e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    key = trim(key);
    value = trim(value);
    // Collapse runs of blanks so the value reads the same in every renderer.
    std::string folded;
    for (char c : value) {
      if (c == '\t') c = ' ';
      if (c == ' ' && !folded.empty() && folded.back() == ' ') continue;
      folded += c;
    }
    if (!key.empty()) db[key] = folded;
  }
  out["databases"] = db;
  return out;
}

}  // namespace distill::inspect
