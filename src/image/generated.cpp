#include "image/generated.h"

#include <sys/stat.h>

#include "image/arch.h"
#include "image/merged_usr.h"
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

namespace {

// Where an entry the definition asks for goes under merged-usr: (image/
// merged_usr.h). A file under /bin, /lib... lands in /usr, as a package's
// would, so a definition written for a split /usr still builds; anything
// else there (a directory, a symlink other than /lib -> usr/lib) would
// shadow base-files' links, so it is refused naming the definition line.
std::string merged_path(const Definition& def, const std::string& path, TarEntry::Type type,
                        const std::string& target, const std::string& where) {
  if (!def.merged_usr.value_or(false)) return path;
  TarEntry e;
  try {
    e.path = normalize_member_path(path);
  } catch (const Error&) {
    return path;  // LayerPlan says what is wrong with it, naming `where`
  }
  e.type = type;
  e.link = target;
  if (type == TarEntry::Type::kFile && merge_usr(e) == MergedUsrAction::kRewrite) {
    return "/" + e.path;
  }
  check_merged_usr(e, where);
  return path;
}

}  // namespace

void plan_generated(const Definition& def, const std::string& arch, LayerPlan& plan) {
  const std::string where = def.path.empty() ? "definition" : def.path;
  using Type = TarEntry::Type;
  // The file:line of the first entry: where the list (usually inherited
  // from common/static.yaml) is written, not the leaf that built it.
  if (!def.users.empty()) {
    plan.add_file("/etc/passwd", render_passwd(def.users), 0644, 0, 0,
                  (def.users.front().where.empty() ? where : def.users.front().where) + " (users)");
  }
  if (!def.groups.empty()) {
    plan.add_file(
        "/etc/group", render_group(def.groups), 0644, 0, 0,
        (def.groups.front().where.empty() ? where : def.groups.front().where) + " (groups)");
  }
  for (const auto& u : def.users) {
    if (!u.home_mode) continue;
    plan.add_directory(merged_path(def, u.home, Type::kDirectory, "", u.where), *u.home_mode, u.uid,
                       u.gid, u.where);
  }
  if (!def.os_release.empty()) {
    plan.add_file("/usr/lib/os-release", render_os_release(def.os_release), 0555, 0, 0,
                  where + " (os-release)");
  }
  for (const auto& d : def.directories) {
    std::string path = merged_path(def, expand_arch(d.path, arch), Type::kDirectory, "", d.where);
    if (plan.contains(path)) continue;  // a home directory already made it
    plan.add_directory(path, d.mode, d.uid, d.gid, d.where);
  }
  for (const auto& f : def.files) {
    std::string dest = merged_path(def, expand_arch(f.dest, arch), Type::kFile, "", f.where);
    if (f.content) {
      plan.add_file(dest, *f.content, f.mode.value_or(0644), f.uid, f.gid, f.where);
      continue;
    }
    std::string src = *f.src;
    if (src.empty() || src[0] != '/') src = join_path(def.dir, src);
    struct stat st;
    if (::stat(src.c_str(), &st) != 0) throw Error(f.where + ": source file " + src + " not found");
    uint32_t mode = f.mode.value_or((st.st_mode & 0111) ? 0755 : 0644);
    plan.add_host_file(dest, src, mode, f.uid, f.gid, f.where);
  }
  for (const auto& s : def.symlinks) {
    std::string target = expand_arch(s.target, arch);
    plan.add_symlink(merged_path(def, expand_arch(s.path, arch), Type::kSymlink, target, s.where),
                     target, s.uid, s.gid, s.where);
  }
}

}  // namespace distill
