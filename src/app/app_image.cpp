#include "app/app_image.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "app/auto_from.h"
#include "image/app_layer.h"
#include "image/arch.h"
#include "image/generated.h"
#include "image/merge_by.h"
#include "image/release.h"
#include "image/variant.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/strings.h"

namespace distill::app {

namespace {

uint32_t owner_id(const std::string& text, const std::string& whole) {
  bool digits = !text.empty() && text.size() <= 10 &&
                text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoull(text) > 0xffffffffULL) {
    throw Error("--app-owner must be UID[:GID] in numbers, not '" + whole + "'");
  }
  return static_cast<uint32_t>(std::stoul(text));
}

// The host file an image path names, through the app items ("" if none).
std::string host_file_of(const std::vector<AppSpec>& apps, const std::string& path,
                         const std::string& arch) {
  for (const auto& a : apps) {
    std::string src = expand_arch(a.src, arch), dest = expand_arch(a.dest, arch);
    std::string host;
    if (path == dest) {
      host = src;
    } else if (path.size() > dest.size() && path.compare(0, dest.size(), dest) == 0 &&
               (dest == "/" || path[dest.size()] == '/')) {
      host = src + "/" + path.substr(dest == "/" ? 1 : dest.size() + 1);
    }
    struct stat st;
    if (!host.empty() && ::stat(host.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return host;
  }
  return "";
}

// Every regular file of the app items as {host, image path}, in item order
// and then sorted within a directory (symlinks are not followed: the layer
// writer refuses the ones that leave the app).
std::vector<std::pair<std::string, std::string>> app_regular_files(const std::vector<AppSpec>& apps,
                                                                   const std::string& arch) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& a : apps) {
    std::string src = expand_arch(a.src, arch), dest = expand_arch(a.dest, arch);
    std::error_code ec;
    auto st = fs::symlink_status(src, ec);
    if (ec) continue;  // the layer writer names a missing source
    if (fs::is_regular_file(st)) {
      out.emplace_back(src, dest);
      continue;
    }
    if (!fs::is_directory(st)) continue;
    std::vector<std::pair<std::string, std::string>> found;
    for (auto it = fs::recursive_directory_iterator(src, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
      std::string rel = fs::relative(it->path(), src, ec).string();
      found.emplace_back(it->path().string(), (dest == "/" ? "" : dest) + "/" + rel);
    }
    std::sort(found.begin(), found.end());
    for (auto& f : found) out.push_back(std::move(f));
  }
  return out;
}

// The app's entry for --from auto: the first word of --entrypoint (then
// --cmd) that is a file of the app, else the first --app item if a file.
AutoInput auto_input(const AppRequest& req, const std::vector<AppSpec>& apps,
                     const std::vector<std::string>& dirs) {
  if (apps.empty()) throw Error("--from auto needs the app: give --app PATH[:DEST]");
  AutoInput in;
  std::string arch = req.architectures.empty() ? host_debian_arch() : req.architectures.front();
  std::vector<std::string> words = req.entrypoint.value_or(std::vector<std::string>{});
  for (const auto& w : req.cmd.value_or(std::vector<std::string>{})) words.push_back(w);
  for (const auto& w : words) {
    if (std::string host = host_file_of(apps, w, arch); !host.empty()) {
      in.entry_host = host;
      in.entry_dest = w;
      in.shown = w;
      break;
    }
  }
  if (in.entry_host.empty()) {
    struct stat st;
    std::string src = expand_arch(apps.front().src, arch);
    if (::stat(src.c_str(), &st) != 0)
      throw Error(apps.front().where + ": app source " + src + " not found");
    if (!S_ISREG(st.st_mode)) {
      throw Error("--from auto needs the entry file: " + apps.front().where +
                  " is a directory, so give --entrypoint naming a file of the app");
    }
    in.entry_host = src;
    in.entry_dest = expand_arch(apps.front().dest, arch);
    in.shown = apps.front().where.substr(apps.front().where.find(' ') + 1);
  }
  in.release = req.release;
  in.architectures = req.architectures;
  in.search_dirs = dirs;
  in.source = req.source;
  in.files = app_regular_files(apps, arch);
  return in;
}

// --release on a bare family name: NAME-RELEASE.
std::string with_release(const std::string& base, const std::string& release,
                         const std::vector<std::string>& dirs) {
  if (release.empty()) return base;
  std::string rel = find_release(release, dirs, "--release").name;
  bool bare = base.find('/') == std::string::npos && base.find(".yaml") == std::string::npos &&
              !path_exists(base);
  if (!bare) {
    throw Error("--release picks the release of --from auto or of a family name such as cc; '" +
                base + "' is a definition file (set release: in it)");
  }
  for (const auto& r : list_releases(dirs)) {
    std::string suffix = "-" + r.name;
    if (base.size() > suffix.size() &&
        base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0) {
      if (r.name == rel) return base;
      throw Error("--release " + rel + " and --from " + base + " name two releases; drop one");
    }
  }
  return base + "-" + rel;
}

void apply_config(const AppRequest& req, Definition& def) {
  ImageConfigSpec& c = def.config;
  if (req.entrypoint) {
    c.entrypoint = *req.entrypoint;
    c.where["entrypoint"] = "--entrypoint";
  }
  if (req.cmd) {
    c.cmd = *req.cmd;
    c.where["cmd"] = "--cmd";
  }
  if (req.user) {
    c.user = *req.user;
    c.where["user"] = "--user";
  }
  if (req.workdir) {
    if (req.workdir->empty() || (*req.workdir)[0] != '/')
      throw Error("--workdir '" + *req.workdir + "' must be an absolute path in the image");
    c.workdir = *req.workdir;
    c.where["workdir"] = "--workdir";
  }
  for (const auto& kv : req.env) {
    if (kv.find('=') == std::string::npos || kv[0] == '=')
      throw Error("--env '" + kv + "' must be KEY=VALUE");
  }
  if (!req.env.empty()) {
    std::vector<std::string> env = c.env.value_or(std::vector<std::string>{});
    merge_by(env, req.env, [](const std::string& kv) { return kv.substr(0, kv.find('=')); });
    c.env = env;
  }
}

// Without --entrypoint or --cmd, an executable first item runs itself.
void default_entrypoint(const AppRequest& req, Definition& def, std::vector<std::string>& explain) {
  if (req.entrypoint || req.cmd || def.apps.empty()) return;
  const AppSpec& first = def.apps.front();
  struct stat st;
  std::string src = expand_arch(first.src, host_debian_arch());
  if (::stat(src.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  if (!(first.mode.value_or(st.st_mode) & 0111)) return;
  def.config.entrypoint = std::vector<std::string>{first.dest};
  def.config.where["entrypoint"] = first.where;
  explain.push_back("entrypoint " + first.dest + ": the first app item, an executable file (" +
                    first.where + ")");
}

}  // namespace

AppSpec parse_app_flag(const std::string& text) {
  AppSpec a;
  a.where = "--app " + text;
  size_t colon = text.rfind(":/");
  std::string src = colon == std::string::npos || colon == 0 ? text : text.substr(0, colon);
  std::string dest = colon == std::string::npos || colon == 0 ? "" : text.substr(colon + 1);
  if (src.empty()) throw Error("--app needs PATH[:DEST], not '" + text + "'");
  for (const auto& part : split(dest, '/')) {
    if (part == "..")
      throw Error(a.where + ": DEST must not contain '..' (it would escape the image root)");
  }
  a.src = absolute_path(src);
  a.dest = app_dest(src, dest);
  return a;
}

AppImage app_definition(const AppRequest& req, const std::vector<std::string>& search_dirs) {
  AppImage out;
  std::vector<AppSpec> apps;
  uint32_t uid = 0, gid = 0;
  if (!req.owner.empty()) {
    size_t colon = req.owner.find(':');
    uid = owner_id(req.owner.substr(0, colon), req.owner);
    gid = colon == std::string::npos ? uid : owner_id(req.owner.substr(colon + 1), req.owner);
  }
  for (const auto& text : req.apps) {
    AppSpec a = parse_app_flag(text);
    a.uid = uid;
    a.gid = gid;
    apps.push_back(a);
  }
  VariantName vn = split_variant(req.from);
  std::string base = vn.base;
  bool from_auto = base == "auto";
  AutoChoice choice;
  if (from_auto) {
    choice = choose_auto_base(auto_input(req, apps, search_dirs));
    base = choice.base;
    out.explain = choice.explain;
  } else {
    base = with_release(base, req.release, search_dirs);
  }
  Definition def = load_definition(base, search_dirs);
  apply_variant(def, vn.variant);
  out.variant = vn.variant;
  for (const auto& p : choice.packages) def.packages.push_back({p, false, {}, "--from auto"});
  merge_by(def.apps, apps, [](const AppSpec& a) { return a.dest; });
  if (from_auto && !req.entrypoint) {
    AutoInput in = auto_input(req, apps, search_dirs);
    std::vector<std::string> ep;
    if (choice.base_entrypoint_runs_it) {
      if (!def.config.entrypoint || def.config.entrypoint->empty()) {
        throw Error(base + " has no entrypoint to run " + in.entry_dest + "; give --entrypoint");
      }
      ep = *def.config.entrypoint;
    }
    ep.push_back(in.entry_dest);
    def.config.entrypoint = ep;
    def.config.where["entrypoint"] = "--from auto";
    std::string line;
    for (const auto& w : ep) line += (line.empty() ? "" : " ") + w;
    out.explain.push_back("--from auto: entrypoint " + line);
  } else if (!from_auto) {
    default_entrypoint(req, def, out.explain);
  }
  apply_config(req, def);
  def.name.clear();  // not the base's: an archive's default name is then "distill"
  out.def = std::move(def);
  return out;
}

}  // namespace distill::app
