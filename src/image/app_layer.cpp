#include "image/app_layer.h"

#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "archive/tar_entry.h"
#include "image/generated.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/handles.h"

namespace distill {

namespace {

// A tree deeper than this is refused rather than walked (no symlink is
// followed, so only a crafted tree gets here).
constexpr int kAppMaxDepth = 128;

std::string last_name(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// What `st` is, for the message that refuses it.
const char* special_kind(const struct stat& st) {
  if (S_ISFIFO(st.st_mode)) return "a fifo";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "a device";
  return "not a file, directory or symlink";
}

// Walks one app item's directory, adding what is under it to the plan.
class AppWalker {
 public:
  AppWalker(const AppSpec& app, std::string root, std::string dest, LayerPlan& plan)
      : app_(app), root_(std::move(root)), dest_(std::move(dest)), plan_(plan) {}

  // Adds the entry `rel` ("" = the item's directory itself) and, for a
  // directory, its children.
  void add(const std::string& rel, int depth) {
    std::string host = rel.empty() ? root_ : root_ + "/" + rel;
    std::string where = app_.where + " (" + host + ")";
    if (!is_utf8(rel)) throw Error(app_.where + ": " + escape_name(host) + ": name is not UTF-8");
    if (depth > kAppMaxDepth) {
      throw Error(app_.where + ": " + host + " is nested deeper than " +
                  std::to_string(kAppMaxDepth) + " directories");
    }
    struct stat st;
    if (::lstat(host.c_str(), &st) != 0) {
      throw Error(app_.where + ": cannot read " + host + ": " + std::strerror(errno));
    }
    std::string path = rel.empty() ? dest_ : dest_ + (dest_ == "/" ? "" : "/") + rel;
    if (S_ISREG(st.st_mode)) {
      plan_.add_host_file(path, host, file_mode(st), app_.uid, app_.gid, where);
    } else if (S_ISLNK(st.st_mode)) {
      plan_.add_symlink(path, link_target(host, rel), app_.uid, app_.gid, where);
    } else if (S_ISDIR(st.st_mode)) {
      if (path != "/") plan_.add_directory(path, app_.dir_mode, app_.uid, app_.gid, where);
      for (const auto& name : children(host)) add(rel.empty() ? name : rel + "/" + name, depth + 1);
    } else {
      throw Error(app_.where + ": " + host + " is " + special_kind(st) +
                  "; an app holds only files, directories and symlinks");
    }
  }

  uint32_t file_mode(const struct stat& st) const {
    return app_.mode.value_or((st.st_mode & 0111) ? 0755 : 0644);
  }

 private:
  // The link's target, if it stays inside the item's directory.
  std::string link_target(const std::string& host, const std::string& rel) const {
    std::vector<char> buf(PATH_MAX + 1);
    ssize_t n = ::readlink(host.c_str(), buf.data(), buf.size() - 1);
    if (n < 0) throw Error(app_.where + ": cannot read link " + host + ": " + std::strerror(errno));
    std::string target(buf.data(), static_cast<size_t>(n));
    if (target.empty() || target[0] == '/' || !symlink_stays_inside(rel, target)) {
      throw Error(app_.where + ": symlink " + host + " -> " + escape_name(target) +
                  " points outside the app directory " + root_ +
                  "; copy what it points to into the directory, or add the link with symlinks:");
    }
    return target;
  }

  std::vector<std::string> children(const std::string& host) const {
    DirPtr d = open_dir(host);
    if (!d) throw Error(app_.where + ": cannot read " + host + ": " + std::strerror(errno));
    std::vector<std::string> out;
    while (dirent* e = ::readdir(d.get())) {
      std::string name = e->d_name;
      if (name != "." && name != "..") out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  const AppSpec& app_;
  std::string root_;
  std::string dest_;
  LayerPlan& plan_;
};

}  // namespace

std::string app_dest(const std::string& src, const std::string& dest) {
  if (dest.empty()) return "/app/" + last_name(src);
  if (dest.size() > 1 && dest.back() == '/') return dest + last_name(src);
  return dest;
}

void plan_app_item(const AppSpec& app, const std::string& arch, LayerPlan& plan) {
  std::string src = expand_arch(app.src, arch);
  std::string dest = expand_arch(app.dest, arch);
  // The item's own path is what the user named: a link there is followed
  // (`--app ./server` may be a link to the build output), nothing below it.
  char* real = ::realpath(src.c_str(), nullptr);
  if (!real) {
    throw Error(app.where + ": app source " + src + " not found" +
                (errno == ENOENT ? "" : std::string(": ") + std::strerror(errno)));
  }
  std::string root = real;
  std::free(real);
  struct stat st;
  if (::stat(root.c_str(), &st) != 0) throw Error(app.where + ": cannot read " + root);
  AppWalker walk(app, root, dest, plan);
  if (S_ISDIR(st.st_mode)) {
    walk.add("", 0);
  } else if (S_ISREG(st.st_mode)) {
    if (dest == "/") throw Error(app.where + ": app file " + src + " cannot be the image root");
    plan.add_host_file(dest, root, walk.file_mode(st), app.uid, app.gid,
                       app.where + " (" + root + ")");
  } else {
    throw Error(app.where + ": " + src + " is " + special_kind(st) +
                "; an app holds only files, directories and symlinks");
  }
}

}  // namespace distill
