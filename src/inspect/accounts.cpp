// Users and groups from /etc/passwd and /etc/group, and the home and
// top-level directories a program expects to find.
#include <algorithm>
#include <string>
#include <vector>

#include "inspect/facts.h"
#include "util/strings.h"

namespace distill::inspect {

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  for (auto& l : split(text, '\n')) {
    if (!l.empty() && l[0] != '#') out.push_back(l);
  }
  return out;
}

nlohmann::json number_or_text(const std::string& s) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return s;
  return std::stoul(s);
}

}  // namespace

nlohmann::json account_facts(const MergedFs& fs) {
  nlohmann::json out;
  out["users"] = nlohmann::json::array();
  out["groups"] = nlohmann::json::array();
  out["passwd_present"] = fs.content("etc/passwd") != nullptr;
  out["group_present"] = fs.content("etc/group") != nullptr;
  if (const std::string* passwd = fs.content("etc/passwd")) {
    for (const auto& l : lines(*passwd)) {
      auto f = split(l, ':');
      if (f.size() < 7) continue;
      nlohmann::json u;
      u["name"] = f[0];
      u["uid"] = number_or_text(f[2]);
      u["gid"] = number_or_text(f[3]);
      u["gecos"] = f[4];
      u["home"] = f[5];
      u["shell"] = f[6];
      std::string home = f[5];
      while (!home.empty() && home[0] == '/') home.erase(0, 1);
      auto real = fs.resolve(home);
      const FileInfo* h = real ? fs.find(*real) : nullptr;
      if (home.empty()) h = fs.find("");
      u["home_exists"] = home.empty() || (h && h->type == TarEntry::Type::kDirectory);
      if (h && !home.empty()) {
        u["home_mode"] = octal_mode(h->mode);
        u["home_owner"] = std::to_string(h->uid) + ":" + std::to_string(h->gid);
      }
      out["users"].push_back(u);
    }
  }
  if (const std::string* group = fs.content("etc/group")) {
    for (const auto& l : lines(*group)) {
      auto f = split(l, ':');
      if (f.size() < 4) continue;
      nlohmann::json g;
      g["name"] = f[0];
      g["gid"] = number_or_text(f[2]);
      g["members"] = nlohmann::json::array();
      if (!f[3].empty()) {
        for (auto& m : split(f[3], ',')) g["members"].push_back(m);
      }
      out["groups"].push_back(g);
    }
  }
  return out;
}

nlohmann::json skeleton_facts(const MergedFs& fs, const nlohmann::json& accounts) {
  std::vector<std::string> paths = {
      "bin",  "dev", "etc", "home", "lib", "lib64",   "proc",    "root",    "run",
      "sbin", "sys", "tmp", "usr",  "var", "var/tmp", "var/run", "var/lib", "etc/ssl/certs"};
  for (const auto& u : accounts["users"]) {
    std::string home = u["home"].get<std::string>();
    while (!home.empty() && home[0] == '/') home.erase(0, 1);
    if (!home.empty() && std::find(paths.begin(), paths.end(), home) == paths.end())
      paths.push_back(home);
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : paths) {
    const FileInfo* f = fs.find(p);
    nlohmann::json j;
    j["path"] = "/" + p;
    j["exists"] = f != nullptr;
    if (f) {
      j["type"] = type_name(f->type);
      j["mode"] = octal_mode(f->mode);
      j["uid"] = f->uid;
      j["gid"] = f->gid;
      if (f->type == TarEntry::Type::kSymlink) j["link"] = f->link;
    }
    out.push_back(j);
  }
  return out;
}

}  // namespace distill::inspect
