// What a program in this image will miss. Each warning has a stable code
// (see docs/inspect-schema.md) and a message that says what breaks.
#include <algorithm>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "inspect/facts.h"

namespace distill::inspect {

namespace {

void warn(nlohmann::json& out, const std::string& code, const std::string& message,
          const std::vector<std::string>& paths = {}) {
  nlohmann::json w{{"code", code}, {"message", message}};
  if (!paths.empty()) w["paths"] = paths;
  out.push_back(w);
}

bool numeric(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

bool has_entry(const nlohmann::json& list, const std::string& id, const char* num_key) {
  for (const auto& e : list) {
    if (numeric(id) ? (e[num_key].is_number() && std::to_string(e[num_key].get<uint64_t>()) == id)
                    : e["name"] == id)
      return true;
  }
  return false;
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

nlohmann::json warning_facts(const MergedFs& fs, const nlohmann::json& report) {
  nlohmann::json out = nlohmann::json::array();
  const auto& ca = report["ca_bundle"];
  if (ca.is_null()) {
    warn(out, "no-ca-bundle",
         "no CA bundle (/etc/ssl/certs/ca-certificates.crt): TLS clients cannot verify servers");
  } else if (ca["certificates"] == 0) {
    warn(out, "empty-ca-bundle", ca["path"].get<std::string>() + " holds no certificates");
  } else if (ca["earliest_expiry"].is_string() &&
             ca["earliest_expiry"].get<std::string>() < now_iso()) {
    warn(out, "expired-ca-certificate",
         "the CA bundle holds an expired certificate (" +
             ca["earliest_subject"].get<std::string>() + ", " +
             ca["earliest_expiry"].get<std::string>() + ")");
  }

  const auto& accounts = report["accounts"];
  std::string user = report["config"].value("user", "");
  std::string group;
  if (size_t colon = user.find(':'); colon != std::string::npos) {
    group = user.substr(colon + 1);
    user.resize(colon);
  }
  if (!accounts["passwd_present"].get<bool>()) {
    warn(out, "no-passwd",
         "no /etc/passwd: getpwuid() fails for every user, so programs cannot find a user name "
         "or home directory" +
             std::string(user.empty() ? " (the image runs as uid 0)" : ""));
  } else if (!user.empty() && !has_entry(accounts["users"], user, "uid")) {
    warn(out, "user-not-in-passwd",
         "the configured user '" + user + "' has no /etc/passwd entry" +
             (numeric(user) ? ": getpwuid() fails, $HOME is unset"
                            : ": the runtime cannot resolve it and the container will not start"));
  }
  if (!group.empty() && !has_entry(accounts["groups"], group, "gid") &&
      (!numeric(group) || accounts["group_present"].get<bool>())) {
    warn(out, "group-not-in-group", "the configured group '" + group + "' has no /etc/group entry");
  }
  for (const auto& u : accounts["users"]) {
    if ((u["name"] == user || (numeric(user) && u["uid"].is_number() &&
                               std::to_string(u["uid"].get<uint64_t>()) == user)) &&
        !u["home_exists"].get<bool>()) {
      warn(out, "no-home",
           "the configured user's home " + u["home"].get<std::string>() + " does not exist");
    }
  }

  if (report["timezones"]["count"] == 0) {
    warn(out, "no-tzdata",
         "no time zone data (/usr/share/zoneinfo): programs see only UTC and fail to load "
         "named zones");
  }
  const FileInfo* tmp = fs.find("tmp");
  if (!tmp) {
    warn(out, "no-tmp", "no /tmp: programs that create temporary files fail");
  } else if (tmp->type == TarEntry::Type::kDirectory && (tmp->mode & 01777) != 01777) {
    warn(out, "tmp-mode",
         "/tmp has mode " + octal_mode(tmp->mode) +
             ", not 1777: only some users can create temporary files");
  }

  std::map<std::string, std::vector<std::string>> missing;  // interpreter -> programs
  for (const auto& [path, f] : fs.files()) {
    if (!f.elf || !f.elf_interp) continue;
    std::string interp = f.interpreter;
    std::string rel = interp;
    while (!rel.empty() && rel[0] == '/') rel.erase(0, 1);
    auto real = rel.empty() ? std::nullopt : fs.resolve(rel);
    const FileInfo* target = real ? fs.find(*real) : nullptr;
    bool ok = target &&
              (target->type == TarEntry::Type::kFile || target->type == TarEntry::Type::kHardlink);
    if (!ok) missing[interp.empty() ? "(empty PT_INTERP)" : interp].push_back("/" + path);
  }
  for (const auto& [interp, programs] : missing) {
    std::vector<std::string> shown(programs.begin(),
                                   programs.begin() + std::min<size_t>(programs.size(), 20));
    warn(out, "missing-interpreter",
         std::to_string(programs.size()) + " dynamically linked program" +
             (programs.size() == 1 ? " needs " : "s need ") + interp +
             ", which is not in the image: " + (programs.size() == 1 ? "it" : "they") +
             " cannot start (e.g. " + programs.front() + ")",
         shown);
  }
  for (const auto& p : report["package_problems"]) {
    warn(out, "bad-dpkg-status", p.get<std::string>());
  }
  return out;
}

}  // namespace distill::inspect
