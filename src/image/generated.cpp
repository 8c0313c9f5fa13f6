#include "image/generated.h"

#include <sys/stat.h>

#include "image/arch.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

std::string render_passwd(const std::vector<UserSpec>& users) {
  std::string out;
  for (const auto& u : users) {
    out += u.name + ":x:" + std::to_string(u.uid) + ":" + std::to_string(u.gid) + ":" + u.gecos +
           ":" + u.home + ":" + u.shell + "\n";
  }
  return out;
}

std::string render_group(const std::vector<GroupSpec>& groups) {
  std::string out;
  for (const auto& g : groups) {
    std::string members;
    for (const auto& m : g.members) members += (members.empty() ? "" : ",") + m;
    out += g.name + ":x:" + std::to_string(g.gid) + ":" + members + "\n";
  }
  return out;
}

std::string render_os_release(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    std::string quoted;
    for (char ch : v) {
      // os-release(5): shell-style double quotes; escape what the shell would.
      if (ch == '"' || ch == '\\' || ch == '$' || ch == '`') quoted += '\\';
      quoted += ch;
    }
    out += k + "=\"" + quoted + "\"\n";
  }
  return out;
}

std::string expand_arch(const std::string& text, const std::string& arch) {
  std::string out = text;
  for (auto [key, value] :
       {std::pair<std::string, std::string>{"${ARCH}", arch}, {"${TRIPLET}", gnu_triplet(arch)}}) {
    for (size_t pos; (pos = out.find(key)) != std::string::npos;)
      out.replace(pos, key.size(), value);
  }
  return out;
}

void plan_generated(const Definition& def, const std::string& arch, LayerPlan& plan) {
  const std::string where = def.path.empty() ? "definition" : def.path;
  if (!def.users.empty()) {
    plan.add_file("/etc/passwd", render_passwd(def.users), 0644, 0, 0, where + " (users)");
  }
  if (!def.groups.empty()) {
    plan.add_file("/etc/group", render_group(def.groups), 0644, 0, 0, where + " (groups)");
  }
  for (const auto& u : def.users) {
    if (u.home_mode) plan.add_directory(u.home, *u.home_mode, u.uid, u.gid, u.where);
  }
  if (!def.os_release.empty()) {
    plan.add_file("/usr/lib/os-release", render_os_release(def.os_release), 0555, 0, 0,
                  where + " (os-release)");
  }
  for (const auto& d : def.directories) {
    if (plan.contains(expand_arch(d.path, arch))) continue;  // a home directory already made it
    plan.add_directory(expand_arch(d.path, arch), d.mode, d.uid, d.gid, d.where);
  }
  for (const auto& f : def.files) {
    if (f.content) {
      plan.add_file(expand_arch(f.dest, arch), *f.content, f.mode.value_or(0644), f.uid, f.gid,
                    f.where);
      continue;
    }
    std::string src = *f.src;
    if (src.empty() || src[0] != '/') src = join_path(def.dir, src);
    struct stat st;
    if (::stat(src.c_str(), &st) != 0) throw Error(f.where + ": source file " + src + " not found");
    uint32_t mode = f.mode.value_or((st.st_mode & 0111) ? 0755 : 0644);
    plan.add_host_file(expand_arch(f.dest, arch), src, mode, f.uid, f.gid, f.where);
  }
  for (const auto& s : def.symlinks) {
    plan.add_symlink(expand_arch(s.path, arch), expand_arch(s.target, arch), s.uid, s.gid, s.where);
  }
}

}  // namespace distill
