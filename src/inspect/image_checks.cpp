#include "inspect/image_checks.h"

#include "util/strings.h"

namespace distill::inspect {

namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

bool named(const nlohmann::json& list, const std::string& name) {
  for (const auto& e : list) {
    if (e["name"] == name) return true;
  }
  return false;
}

void check_user(const nlohmann::json& report, std::vector<CheckFailure>& out) {
  std::string user = report["config"]["user"].get<std::string>();
  std::string group;
  if (size_t colon = user.find(':'); colon != std::string::npos) {
    group = user.substr(colon + 1);
    user.resize(colon);
  }
  const auto& accounts = report["accounts"];
  if (!user.empty() && !all_digits(user) && !named(accounts["users"], user)) {
    out.push_back({"user", "user",
                   "config.user '" + user +
                       "' has no entry in the image's /etc/passwd, so the container cannot "
                       "start (add it to users:, or use a numeric uid)"});
  }
  if (!group.empty() && !all_digits(group) && !named(accounts["groups"], group)) {
    out.push_back({"user", "user",
                   "config.user's group '" + group +
                       "' has no entry in the image's /etc/group (add it to groups:, or use a "
                       "numeric gid)"});
  }
}

std::string path_of(const nlohmann::json& env) {
  for (const auto& kv : env) {
    std::string s = kv.get<std::string>();
    if (s.rfind("PATH=", 0) == 0) return s.substr(5);
  }
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

// The merged-tree entry `program` runs, as the runtime finds it (a bare
// name through the config's PATH), or nullptr.
const FileInfo* find_program(const MergedFs& fs, const std::string& program,
                             const nlohmann::json& env) {
  std::vector<std::string> candidates;
  if (program.find('/') != std::string::npos) {
    candidates.push_back(program);
  } else {
    for (const auto& dir : split(path_of(env), ':')) candidates.push_back(dir + "/" + program);
  }
  for (std::string c : candidates) {
    while (!c.empty() && c[0] == '/') c.erase(0, 1);
    auto real = c.empty() ? std::nullopt : fs.resolve(c);
    if (const FileInfo* f = real ? fs.find(*real) : nullptr) return f;
  }
  return nullptr;
}

void check_program(const MergedFs& fs, const nlohmann::json& config,
                   std::vector<CheckFailure>& out) {
  const auto& entrypoint = config["entrypoint"];
  const char* field = entrypoint.empty() ? "cmd" : "entrypoint";
  const auto& argv = entrypoint.empty() ? config["cmd"] : entrypoint;
  if (argv.empty()) return;
  std::string program = argv[0].get<std::string>();
  std::string what = std::string("config.") + field + " program '" + program + "'";
  const FileInfo* f = find_program(fs, program, config["env"]);
  if (!f) {
    out.push_back({"entrypoint", field, what + " is not in the image"});
  } else if (f->type != TarEntry::Type::kFile && f->type != TarEntry::Type::kHardlink) {
    out.push_back({"entrypoint", field, what + " is not a regular file in the image"});
  } else if ((f->mode & 0111) == 0) {
    out.push_back(
        {"entrypoint", field, what + " is not executable (mode " + octal_mode(f->mode) + ")"});
  } else if (!f->shebang.empty() && !find_program(fs, f->shebang, nlohmann::json::array())) {
    out.push_back({"entrypoint", field,
                   what + " is a script for " + f->shebang + ", which is not in the image"});
  }
}

}  // namespace

std::vector<CheckFailure> image_checks(const MergedFs& fs, const nlohmann::json& report) {
  std::vector<CheckFailure> out;
  check_user(report, out);
  check_program(fs, report["config"], out);
  // A missing workdir is fine: runtimes (runc, docker, podman) create it when
  // the container starts. One that is a file cannot be entered at all.
  std::string workdir = report["config"]["workdir"].get<std::string>();
  std::string rel = workdir;
  while (!rel.empty() && rel[0] == '/') rel.erase(0, 1);
  auto real = rel.empty() ? std::nullopt : fs.resolve(rel);
  const FileInfo* f = real ? fs.find(*real) : nullptr;
  if (f && f->type != TarEntry::Type::kDirectory) {
    out.push_back({"workdir", "workdir",
                   "config.workdir '" + workdir + "' is a " + std::string(type_name(f->type)) +
                       " in the image, not a directory"});
  }
  return out;
}

}  // namespace distill::inspect
