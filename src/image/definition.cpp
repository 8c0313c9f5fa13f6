#include "image/definition.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

struct Ctx {
  std::string file;
  std::string at(const YAML::Node& n) const {
    return file + ":" + std::to_string(n.Mark().line + 1);
  }
  [[noreturn]] void fail(const YAML::Node& n, const std::string& msg) const {
    throw Error(at(n) + ": " + msg);
  }
};

// Rejects keys outside `allowed`; typos must not be silently ignored.
void check_keys(const Ctx& c, const YAML::Node& map, const std::string& what,
                std::initializer_list<const char*> allowed) {
  if (!map.IsMap()) c.fail(map, what + " must be a mapping");
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string key = it->first.Scalar();
    bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; });
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
      c.fail(it->first, "unknown key '" + key + "' in " + what + " (allowed: " + list + ")");
    }
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

void parse_config(const Ctx& c, const YAML::Node& n, ImageConfigSpec& cfg) {
  check_keys(c, n, "config",
             {"env", "user", "workdir", "entrypoint", "cmd", "labels", "annotations",
              "exposed-ports", "volumes", "stop-signal", "created", "version-env"});
  if (auto e = n["env"]) {
    std::vector<std::string> env;
    if (e.IsMap()) {
      for (auto it = e.begin(); it != e.end(); ++it) {
        env.push_back(it->first.Scalar() + "=" + str(c, it->second, "config.env value"));
      }
    } else {
      env = string_list(c, e, "config.env");
      for (const auto& kv : env) {
        if (kv.find('=') == std::string::npos || kv[0] == '=') {
          c.fail(e, "config.env entry '" + kv + "' must be KEY=VALUE");
        }
      }
    }
    cfg.env = env;
  }
  if (auto u = n["user"]) cfg.user = str(c, u, "config.user");
  if (auto w = n["workdir"]) cfg.workdir = image_path(c, w, "config.workdir");
  if (auto e = n["entrypoint"])
    cfg.entrypoint =
        e.IsNull() ? std::vector<std::string>{} : string_list(c, e, "config.entrypoint");
  if (auto e = n["cmd"])
    cfg.cmd = e.IsNull() ? std::vector<std::string>{} : string_list(c, e, "config.cmd");
  if (auto l = n["labels"]) cfg.labels = string_map(c, l, "config.labels");
  if (auto a = n["annotations"]) cfg.annotations = string_map(c, a, "config.annotations");
  if (auto p = n["exposed-ports"]) {
    for (const auto& port : string_list(c, p, "config.exposed-ports")) {
      std::string num = port.substr(0, port.find('/'));
      std::string proto =
          port.find('/') == std::string::npos ? "tcp" : port.substr(port.find('/') + 1);
      bool digits =
          !num.empty() && num.size() <= 5 && std::all_of(num.begin(), num.end(), ::isdigit);
      if (!digits || std::stoul(num) > 65535 ||
          (proto != "tcp" && proto != "udp" && proto != "sctp")) {
        c.fail(p, "config.exposed-ports entry '" + port + "' must be PORT[/tcp|udp|sctp]");
      }
      cfg.exposed_ports.push_back(num + "/" + proto);
    }
  }
  if (auto v = n["volumes"]) cfg.volumes = string_list(c, v, "config.volumes");
  if (auto s = n["stop-signal"]) cfg.stop_signal = str(c, s, "config.stop-signal");
  if (auto t = n["created"]) cfg.created = str(c, t, "config.created");
  if (auto ve = n["version-env"]) {
    if (!ve.IsSequence()) c.fail(ve, "config.version-env must be a list");
    for (const auto& item : ve) {
      check_keys(c, item, "a config.version-env entry", {"name", "package", "cut-at"});
      if (!item["name"] || !item["package"]) {
        c.fail(item, "config.version-env entry needs 'name' and 'package'");
      }
      VersionEnvSpec v;
      v.where = c.at(item);
      v.name = str(c, item["name"], "name");
      if (v.name.empty() || v.name.find('=') != std::string::npos) {
        c.fail(item, "config.version-env name '" + v.name + "' must be a variable name");
      }
      v.package = str(c, item["package"], "package");
      if (item["cut-at"]) v.cut_at = str(c, item["cut-at"], "cut-at");
      cfg.version_env.push_back(std::move(v));
    }
  }
}

// ca-bundle: PATH, or a mapping that can also ask for a Java keystore.
void parse_ca_bundle(const Ctx& c, const YAML::Node& n, Definition& d) {
  if (n.IsScalar()) {
    d.ca_bundle = image_path(c, n, "ca-bundle");
    return;
  }
  check_keys(c, n, "ca-bundle", {"path", "java-keystore", "java-keystore-password"});
  if (n["path"]) d.ca_bundle = image_path(c, n["path"], "ca-bundle.path");
  if (n["java-keystore"]) d.java_keystore = image_path(c, n["java-keystore"], "java-keystore");
  if (n["java-keystore-password"]) {
    d.java_keystore_password = str(c, n["java-keystore-password"], "java-keystore-password");
  }
}

}  // namespace

uint32_t parse_mode(const std::string& text, const std::string& where) {
  bool ok = !text.empty() && text.size() <= 5 &&
            std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '7'; });
  uint32_t v = ok ? static_cast<uint32_t>(std::stoul(text, nullptr, 8)) : 0;
  if (!ok || v > 07777) {
    throw Error(where + ": mode '" + text + "' must be octal, e.g. 0644 or 1777");
  }
  return v;
}

Definition load_definition_file(const std::string& path) {
  Ctx c{path};
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw Error(path + ": cannot read definition file");
  } catch (const YAML::ParserException& e) {
    throw Error(path + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
  }
  if (!root || root.IsNull()) throw Error(path + ": the definition is empty");
  check_keys(c, root, "the definition", {"name",     "description",   "from",
                                         "files",    "directories",   "symlinks",
                                         "packages", "resolve",       "exclude-packages",
                                         "exclude",  "allow-setuid",  "repositories",
                                         "mirror",   "architectures", "users",
                                         "groups",   "os-release",    "ca-bundle",
                                         "busybox",  "config",        "extract",
                                         "debug"});
  Definition d;
  d.path = path;
  d.dir = parent_dir(absolute_path(path));
  auto mode_of = [&](const YAML::Node& n) { return parse_mode(str(c, n, "mode"), c.at(n)); };

  if (auto n = root["name"]) d.name = str(c, n, "name");
  if (auto n = root["description"]) d.description = str(c, n, "description");
  if (auto n = root["from"]) d.from = str(c, n, "from");

  if (auto files = root["files"]) {
    if (!files.IsSequence()) c.fail(files, "files must be a list");
    for (const auto& f : files) {
      check_keys(c, f, "a files entry", {"dest", "src", "content", "mode", "uid", "gid"});
      FileSpec s;
      s.where = c.at(f);
      if (!f["dest"]) c.fail(f, "files entry needs 'dest'");
      s.dest = image_path(c, f["dest"], "dest");
      if (f["src"]) {
        // Relative to the file that names it, so inheritance keeps it valid.
        std::string src = str(c, f["src"], "src");
        s.src = (!src.empty() && src[0] == '/') ? src : join_path(d.dir, src);
      }
      if (f["content"]) s.content = str(c, f["content"], "content");
      if (s.src.has_value() == s.content.has_value()) {
        c.fail(f, "files entry for " + s.dest + " needs exactly one of 'src' or 'content'");
      }
      if (f["mode"]) s.mode = mode_of(f["mode"]);
      if (f["uid"]) s.uid = number(c, f["uid"], "uid");
      if (f["gid"]) s.gid = number(c, f["gid"], "gid");
      d.files.push_back(std::move(s));
    }
  }
  if (auto dirs = root["directories"]) {
    if (!dirs.IsSequence()) c.fail(dirs, "directories must be a list");
    for (const auto& n : dirs) {
      DirectorySpec s;
      s.where = c.at(n);
      if (n.IsScalar()) {
        s.path = image_path(c, n, "directory");
      } else {
        check_keys(c, n, "a directories entry", {"path", "mode", "uid", "gid"});
        if (!n["path"]) c.fail(n, "directories entry needs 'path'");
        s.path = image_path(c, n["path"], "path");
        if (n["mode"]) s.mode = mode_of(n["mode"]);
        if (n["uid"]) s.uid = number(c, n["uid"], "uid");
        if (n["gid"]) s.gid = number(c, n["gid"], "gid");
      }
      d.directories.push_back(std::move(s));
    }
  }
  auto parse_symlinks = [&](const YAML::Node& links, std::vector<SymlinkSpec>& out) {
    if (!links.IsSequence()) c.fail(links, "symlinks must be a list");
    for (const auto& n : links) {
      check_keys(c, n, "a symlinks entry", {"path", "target", "uid", "gid"});
      SymlinkSpec s;
      s.where = c.at(n);
      if (!n["path"] || !n["target"]) c.fail(n, "symlinks entry needs 'path' and 'target'");
      s.path = image_path(c, n["path"], "path");
      s.target = str(c, n["target"], "target");
      if (s.target.empty()) c.fail(n, "symlink target must not be empty");
      if (n["uid"]) s.uid = number(c, n["uid"], "uid");
      if (n["gid"]) s.gid = number(c, n["gid"], "gid");
      out.push_back(std::move(s));
    }
  };
  auto parse_packages = [&](const YAML::Node& pk, const std::string& what,
                            std::vector<PackageSpec>& out) {
    if (!pk.IsSequence()) c.fail(pk, what + " must be a list");
    for (const auto& n : pk) {
      PackageSpec s;
      s.where = c.at(n);
      if (n.IsScalar()) {
        s.name = n.Scalar();
      } else {
        check_keys(c, n, "a packages entry", {"name", "resolve", "symlinks"});
        if (!n["name"]) c.fail(n, "packages entry needs 'name'");
        s.name = str(c, n["name"], "name");
        if (n["resolve"]) s.resolve = boolean(c, n["resolve"], "resolve");
        if (n["symlinks"]) parse_symlinks(n["symlinks"], s.symlinks);
      }
      if (s.name.empty()) c.fail(n, "package name must not be empty");
      out.push_back(std::move(s));
    }
  };
  if (auto pk = root["packages"]) parse_packages(pk, "packages", d.packages);
  if (auto dbg = root["debug"]) {
    check_keys(c, dbg, "debug", {"packages"});
    if (dbg["packages"]) parse_packages(dbg["packages"], "debug.packages", d.debug_packages);
  }
  if (auto ex = root["extract"]) {
    if (!ex.IsSequence()) c.fail(ex, "extract must be a list");
    for (const auto& n : ex) {
      check_keys(c, n, "an extract entry", {"package", "paths", "status"});
      if (!n["package"] || !n["paths"]) c.fail(n, "extract entry needs 'package' and 'paths'");
      ExtractSpec e;
      e.where = c.at(n);
      e.package = str(c, n["package"], "package");
      if (e.package.empty()) c.fail(n, "extract package name must not be empty");
      const YAML::Node paths = n["paths"];
      if (!paths.IsSequence() || paths.size() == 0) {
        c.fail(paths, "extract paths must be a non-empty list of absolute paths or globs");
      }
      for (const auto& p : paths) e.paths.push_back(image_path(c, p, "extract path"));
      if (n["status"]) e.status = boolean(c, n["status"], "status");
      d.extracts.push_back(std::move(e));
    }
  }
  if (auto n = root["resolve"]) d.resolve = boolean(c, n, "resolve");
  if (auto n = root["exclude-packages"]) d.exclude_packages = string_list(c, n, "exclude-packages");
  if (auto n = root["exclude"]) d.exclude_paths = string_list(c, n, "exclude");
  if (auto n = root["allow-setuid"]) {
    // Each entry grants root-equivalent rights to matching files: a glob
    // that is not an absolute path would silently match nothing.
    if (!n.IsSequence()) c.fail(n, "allow-setuid must be a list of absolute path globs");
    for (const auto& item : n) {
      std::string g = image_path(c, item, "allow-setuid entry");
      d.allow_setuid.push_back(g);
    }
  }
  if (auto repos = root["repositories"]) {
    if (!repos.IsSequence()) c.fail(repos, "repositories must be a list");
    for (const auto& n : repos) {
      check_keys(c, n, "a repositories entry", {"uri", "suites", "components", "keyring"});
      RepositorySpec r;
      r.where = c.at(n);
      if (!n["uri"] || !n["suites"]) c.fail(n, "repositories entry needs 'uri' and 'suites'");
      r.uri = str(c, n["uri"], "uri");
      r.suites = string_list(c, n["suites"], "suites");
      r.components = n["components"] ? string_list(c, n["components"], "components")
                                     : std::vector<std::string>{"main"};
      if (n["keyring"]) {
        r.keyring = str(c, n["keyring"], "keyring");
        if (!r.keyring.empty() && r.keyring[0] != '/') r.keyring = join_path(d.dir, r.keyring);
      }
      d.repositories.push_back(std::move(r));
    }
  }
  if (auto n = root["mirror"]) d.mirror = str(c, n, "mirror");
  if (auto n = root["architectures"]) d.architectures = string_list(c, n, "architectures");
  if (auto users = root["users"]) {
    if (!users.IsSequence()) c.fail(users, "users must be a list");
    for (const auto& n : users) {
      check_keys(c, n, "a users entry",
                 {"name", "uid", "gid", "gecos", "home", "shell", "home-mode"});
      UserSpec u;
      u.where = c.at(n);
      if (!n["name"] || !n["uid"]) c.fail(n, "users entry needs 'name' and 'uid'");
      u.name = str(c, n["name"], "name");
      u.uid = number(c, n["uid"], "uid");
      u.gid = n["gid"] ? number(c, n["gid"], "gid") : u.uid;
      u.gecos = n["gecos"] ? str(c, n["gecos"], "gecos") : u.name;
      u.home = n["home"] ? image_path(c, n["home"], "home") : "/home/" + u.name;
      if (n["shell"]) u.shell = str(c, n["shell"], "shell");
      if (n["home-mode"]) u.home_mode = mode_of(n["home-mode"]);
      for (const auto& field : {u.name, u.gecos, u.home, u.shell}) {
        if (field.find_first_of(":\n") != std::string::npos) {
          c.fail(n, "users entry " + u.name + ": fields must not contain ':' or newlines");
        }
      }
      d.users.push_back(std::move(u));
    }
  }
  if (auto groups = root["groups"]) {
    if (!groups.IsSequence()) c.fail(groups, "groups must be a list");
    for (const auto& n : groups) {
      check_keys(c, n, "a groups entry", {"name", "gid", "members"});
      GroupSpec g;
      g.where = c.at(n);
      if (!n["name"] || !n["gid"]) c.fail(n, "groups entry needs 'name' and 'gid'");
      g.name = str(c, n["name"], "name");
      g.gid = number(c, n["gid"], "gid");
      if (n["members"]) g.members = string_list(c, n["members"], "members");
      d.groups.push_back(std::move(g));
    }
  }
  if (auto n = root["os-release"]) {
    if (!n.IsMap()) c.fail(n, "os-release must be a mapping of KEY: value");
    for (auto it = n.begin(); it != n.end(); ++it) {
      std::string key = it->first.Scalar();
      bool ok = !key.empty() && std::all_of(key.begin(), key.end(), [](char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
      });
      if (!ok)
        c.fail(it->first, "os-release key '" + key + "' must be upper-case letters, digits or _");
      d.os_release.emplace_back(key, str(c, it->second, "os-release." + key));
    }
  }
  if (auto n = root["symlinks"]) parse_symlinks(n, d.symlinks);
  if (auto n = root["ca-bundle"]) parse_ca_bundle(c, n, d);
  if (auto n = root["busybox"]) d.busybox = image_path(c, n, "busybox");
  if (auto n = root["config"]) parse_config(c, n, d.config);
  return d;
}

namespace {

std::string env_key(const std::string& kv) {
  return kv.substr(0, kv.find('='));
}

template <typename T, typename Key>
void merge_by(std::vector<T>& base, const std::vector<T>& over, Key key) {
  for (const auto& item : over) {
    auto it =
        std::find_if(base.begin(), base.end(), [&](const T& b) { return key(b) == key(item); });
    if (it != base.end()) {
      *it = item;
    } else {
      base.push_back(item);
    }
  }
}

// Folds `child` over `parent`: lists extend (same key replaces), scalars
// and config fields that the child sets win.
Definition merge(Definition parent, const Definition& child) {
  Definition d = std::move(parent);
  d.path = child.path;
  d.dir = child.dir;
  d.name = child.name;
  d.description = child.description;
  d.from = child.from;
  merge_by(d.files, child.files, [](const FileSpec& f) { return f.dest; });
  merge_by(d.directories, child.directories, [](const DirectorySpec& s) { return s.path; });
  merge_by(d.symlinks, child.symlinks, [](const SymlinkSpec& s) { return s.path; });
  merge_by(d.packages, child.packages, [](const PackageSpec& p) { return p.name; });
  // Each file's packages already carry its own resolve default
  // (settle_resolve_flags), so a child's `resolve:` never rewrites the parent's.
  d.resolve = child.resolve;
  for (const auto& e : child.exclude_packages) d.exclude_packages.push_back(e);
  for (const auto& e : child.exclude_paths) d.exclude_paths.push_back(e);
  for (const auto& e : child.allow_setuid) d.allow_setuid.push_back(e);
  merge_by(d.repositories, child.repositories, [](const RepositorySpec& r) { return r.uri; });
  if (!child.mirror.empty()) d.mirror = child.mirror;
  if (!child.architectures.empty()) d.architectures = child.architectures;
  merge_by(d.users, child.users, [](const UserSpec& u) { return u.name; });
  merge_by(d.groups, child.groups, [](const GroupSpec& g) { return g.name; });
  for (const auto& kv : child.os_release) {
    auto it = std::find_if(d.os_release.begin(), d.os_release.end(),
                           [&](const auto& e) { return e.first == kv.first; });
    if (it != d.os_release.end()) {
      it->second = kv.second;
    } else {
      d.os_release.push_back(kv);
    }
  }
  if (child.ca_bundle) d.ca_bundle = child.ca_bundle;
  if (child.busybox) d.busybox = child.busybox;
  if (child.java_keystore) d.java_keystore = child.java_keystore;
  if (child.java_keystore_password) d.java_keystore_password = child.java_keystore_password;
  merge_by(d.extracts, child.extracts, [](const ExtractSpec& e) { return e.package; });
  merge_by(d.debug_packages, child.debug_packages, [](const PackageSpec& p) { return p.name; });
  const auto& cc = child.config;
  auto& pc = d.config;
  if (cc.env) {
    std::vector<std::string> env = pc.env.value_or(std::vector<std::string>{});
    for (const auto& kv : *cc.env) {
      auto it = std::find_if(env.begin(), env.end(),
                             [&](const std::string& e) { return env_key(e) == env_key(kv); });
      if (it != env.end()) {
        *it = kv;
      } else {
        env.push_back(kv);
      }
    }
    pc.env = env;
  }
  if (cc.user) pc.user = cc.user;
  if (cc.workdir) pc.workdir = cc.workdir;
  if (cc.entrypoint) pc.entrypoint = cc.entrypoint;
  if (cc.cmd) pc.cmd = cc.cmd;
  for (const auto& [k, v] : cc.labels) pc.labels[k] = v;
  for (const auto& [k, v] : cc.annotations) pc.annotations[k] = v;
  for (const auto& p : cc.exposed_ports) pc.exposed_ports.push_back(p);
  for (const auto& v : cc.volumes) pc.volumes.push_back(v);
  if (cc.stop_signal) pc.stop_signal = cc.stop_signal;
  if (cc.created) pc.created = cc.created;
  merge_by(pc.version_env, cc.version_env, [](const VersionEnvSpec& v) { return v.name; });
  return d;
}

// Resolves packages whose resolve flag was left unset to the file default.
void settle_resolve_flags(Definition& d) {
  for (auto* list : {&d.packages, &d.debug_packages}) {
    for (auto& p : *list) {
      if (!p.resolve) p.resolve = d.resolve;
    }
  }
}

std::string find_definition(const std::string& name_or_path, const std::string& relative_to,
                            const std::vector<std::string>& search_dirs) {
  if (name_or_path.find('/') != std::string::npos ||
      (name_or_path.size() > 5 && name_or_path.substr(name_or_path.size() - 5) == ".yaml")) {
    std::string p = name_or_path;
    if (!p.empty() && p[0] != '/' && !relative_to.empty() && !path_exists(p)) {
      p = join_path(relative_to, p);
    }
    if (!path_exists(p)) throw Error("definition file " + name_or_path + " not found");
    return p;
  }
  for (const auto& dir : search_dirs) {
    std::string p = join_path(dir, name_or_path + ".yaml");
    if (path_exists(p)) return p;
  }
  throw Error("no image definition named '" + name_or_path +
              "' (try `distill images`, or give a path to a .yaml file)");
}

Definition load_chain(const std::string& name_or_path, const std::string& relative_to,
                      const std::vector<std::string>& search_dirs, std::set<std::string>& seen) {
  std::string path = absolute_path(find_definition(name_or_path, relative_to, search_dirs));
  if (!seen.insert(path).second) throw Error(path + ": 'from:' chain loops back to this file");
  Definition d = load_definition_file(path);
  settle_resolve_flags(d);
  if (d.from.empty()) return d;
  Definition parent = load_chain(d.from, d.dir, search_dirs, seen);
  return merge(std::move(parent), d);
}

}  // namespace

Definition load_definition(const std::string& name_or_path,
                           const std::vector<std::string>& search_dirs) {
  std::set<std::string> seen;
  return load_chain(name_or_path, "", search_dirs, seen);
}

std::vector<std::string> default_image_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("DISTILL_IMAGES"); env && *env) dirs.push_back(env);
  // Relative to the program, never to where it was built: a build tree has
  // an images/ link beside distill, an install has <prefix>/share.
  if (std::string exe = executable_dir(); !exe.empty()) {
    dirs.push_back(join_path(exe, "images"));
    dirs.push_back(join_path(parent_dir(exe), "share/distill/images"));
  }
  dirs.push_back("/usr/local/share/distill/images");
  dirs.push_back("/usr/share/distill/images");
  return dirs;
}

}  // namespace distill
