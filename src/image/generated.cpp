#include "image/generated.h"

#include <sys/stat.h>

#include <algorithm>

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

const LayerPlan* GeneratedFiles::find(const std::string& part) const {
  auto it = split.find(part);
  return it == split.end() || it->second.empty() ? nullptr : &it->second;
}

bool GeneratedFiles::contains(const std::string& path) const {
  if (rest.contains(path)) return true;
  for (const auto& [part, plan] : split) {
    if (plan.contains(path)) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> GeneratedFiles::describe() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [part, plan] : split) {
    for (auto& [item, origin] : plan.describe())
      out.emplace_back(item, origin + " (layer " + part + ")");
  }
  for (auto& entry : rest.describe()) out.push_back(std::move(entry));
  return out;
}

namespace {

// Routes each generated item to its layer: the split part named for it if
// parts: lists that part, else the one "generated" layer.
class Router {
 public:
  Router(const Definition& def, GeneratedFiles& out) : def_(def), out_(out) {}
  LayerPlan& operator()(const std::string& part) {
    if (part == "generated" ||
        std::find(def_.parts.begin(), def_.parts.end(), part) == def_.parts.end()) {
      return out_.rest;
    }
    return out_.split[part];
  }

 private:
  const Definition& def_;
  GeneratedFiles& out_;
};

// Whether `dir` is a user's home or holds one ("/home" for "/home/nonroot"):
// the reference's home layer makes those directories.
bool holds_a_home(const Definition& def, const std::string& dir) {
  for (const auto& u : def.users) {
    if (!u.home_mode) continue;
    if (u.home == dir || (u.home.size() > dir.size() && u.home.compare(0, dir.size(), dir) == 0 &&
                          u.home[dir.size()] == '/')) {
      return true;
    }
  }
  return false;
}

std::string directory_part(const Definition& def, const std::string& path) {
  if (path == "/tmp") return "tmp";
  return holds_a_home(def, path) ? "home" : "generated";
}

void plan_files(const Definition& def, const std::string& arch, Router& to) {
  using Type = TarEntry::Type;
  for (const auto& f : def.files) {
    std::string dest = merged_path(def, expand_arch(f.dest, arch), Type::kFile, "", f.where);
    LayerPlan& plan = to(dest == "/etc/nsswitch.conf" ? "nsswitch" : "generated");
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
}

}  // namespace

void plan_generated(const Definition& def, const std::string& arch, GeneratedFiles& out) {
  const std::string where = def.path.empty() ? "definition" : def.path;
  using Type = TarEntry::Type;
  Router to(def, out);
  if (!def.users.empty()) {
    // The file:line of the first entry: where the list (usually inherited
    // from common/static.yaml) is written, not the leaf that built it.
    to("passwd").add_file(
        "/etc/passwd", render_passwd(def.users), 0644, 0, 0,
        (def.users.front().where.empty() ? where : def.users.front().where) + " (users)");
  }
  if (!def.groups.empty()) {
    to("group").add_file(
        "/etc/group", render_group(def.groups), 0644, 0, 0,
        (def.groups.front().where.empty() ? where : def.groups.front().where) + " (groups)");
  }
  for (const auto& u : def.users) {
    if (!u.home_mode) continue;
    to("home").add_directory(merged_path(def, u.home, Type::kDirectory, "", u.where), *u.home_mode,
                             u.uid, u.gid, u.where);
  }
  if (!def.os_release.empty()) {
    auto at = def.key_where.find("os-release");
    std::string origin = (at == def.key_where.end() ? where : at->second) + " (os-release)";
    if (def.release_spec && !def.release_spec->os_release.empty())
      origin +=
          ", values from release " + def.release_spec->name + " (" + def.release_spec->path + ")";
    to("os-release")
        .add_file("/usr/lib/os-release", render_os_release(def.os_release), 0555, 0, 0, origin);
  }
  for (const auto& d : def.directories) {
    std::string path = merged_path(def, expand_arch(d.path, arch), Type::kDirectory, "", d.where);
    if (out.contains(path)) continue;  // a home directory already made it
    to(directory_part(def, path)).add_directory(path, d.mode, d.uid, d.gid, d.where);
  }
  plan_files(def, arch, to);
  for (const auto& s : def.symlinks) {
    std::string target = expand_arch(s.target, arch);
    out.rest.add_symlink(
        merged_path(def, expand_arch(s.path, arch), Type::kSymlink, target, s.where), target, s.uid,
        s.gid, s.where);
  }
}

}  // namespace distill
