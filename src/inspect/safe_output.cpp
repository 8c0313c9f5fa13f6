#include "inspect/safe_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "util/error.h"
#include "util/fs.h"

namespace distill::inspect {

namespace {

std::vector<std::string> parts(const std::string& rel) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= rel.size()) {
    size_t j = rel.find('/', i);
    if (j == std::string::npos) j = rel.size();
    std::string c = rel.substr(i, j - i);
    if (c.empty() || c == "." || c == "..")
      throw Error("refusing to write '" + rel + "': not a plain relative path");
    out.push_back(std::move(c));
    i = j + 1;
  }
  return out;
}

}  // namespace

SafeOutputDir::SafeOutputDir(const std::string& dir) : dir_(dir) {
  for (std::string p = absolute_path(dir); !path_exists(p) && p != "/"; p = parent_dir(p))
    new_dirs_.push_back(p);
  try {
    make_dirs(dir);
    root_ = Fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root_) throw_errno("cannot open output directory", dir);
  } catch (...) {
    remove_created();
    throw;
  }
}

SafeOutputDir::~SafeOutputDir() {
  if (!kept_) remove_created();
}

void SafeOutputDir::remove_created() noexcept {
  for (auto c = created_.rbegin(); c != created_.rend(); ++c) {
    try {
      std::string name;
      Fd parent = open_parent(c->rel, name);
      ::unlinkat(parent.get(), name.c_str(), c->directory ? AT_REMOVEDIR : 0);
    } catch (...) {
      // A parent that became a symlink or vanished: leave it, never follow it.
    }
  }
  created_.clear();
  root_ = Fd();
  // rmdir, not a recursive removal: only directories this run left empty go.
  for (const auto& d : new_dirs_) {
    if (::rmdir(d.c_str()) != 0) break;
  }
}

Fd SafeOutputDir::open_parent(const std::string& rel, std::string& name) {
  auto ps = parts(rel);
  name = ps.back();
  ps.pop_back();
  Fd cur(::dup(root_.get()));
  if (!cur) throw_errno("dup", dir_);
  std::string sofar;
  for (const auto& p : ps) {
    sofar += (sofar.empty() ? "" : "/") + p;
    int fd = ::openat(cur.get(), p.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
      if (::mkdirat(cur.get(), p.c_str(), 0755) == 0) {
        created_.push_back({sofar, true});
      } else if (errno != EEXIST) {
        throw_errno("cannot create directory", join_path(dir_, sofar));
      }
      fd = ::openat(cur.get(), p.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
      if (errno == ELOOP || errno == ENOTDIR) {
        throw Error("refusing to write " + join_path(dir_, rel) + ": " + join_path(dir_, sofar) +
                    " is a symlink or not a directory, and following it could leave " + dir_);
      }
      throw_errno("cannot open directory", join_path(dir_, sofar));
    }
    cur = Fd(fd);
  }
  return cur;
}

void SafeOutputDir::make_dir(const std::string& rel) {
  std::string name;
  Fd parent = open_parent(rel, name);
  if (::mkdirat(parent.get(), name.c_str(), 0755) == 0) {
    created_.push_back({rel, true});
  } else {
    if (errno != EEXIST) throw_errno("cannot create directory", join_path(dir_, rel));
    struct stat st;
    if (::fstatat(parent.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISDIR(st.st_mode)) {
      throw Error("refusing to write " + join_path(dir_, rel) +
                  ": it exists and is not a directory");
    }
  }
}

Fd SafeOutputDir::create_file(const std::string& rel, uint32_t mode, bool replace) {
  std::string name;
  Fd parent = open_parent(rel, name);
  int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL);
  int fd = ::openat(parent.get(), name.c_str(), flags, mode & 0777);
  if (fd < 0) {
    if (errno == EEXIST)
      throw Error(join_path(dir_, rel) + " already exists; extract does not overwrite files");
    throw_errno("cannot create", join_path(dir_, rel));
  }
  if (!replace) created_.push_back({rel, false});
  return Fd(fd);
}

void SafeOutputDir::make_symlink(const std::string& rel, const std::string& target) {
  std::string name;
  Fd parent = open_parent(rel, name);
  if (::symlinkat(target.c_str(), parent.get(), name.c_str()) != 0) {
    if (errno == EEXIST)
      throw Error(join_path(dir_, rel) + " already exists; extract does not overwrite files");
    throw_errno("cannot create symlink", join_path(dir_, rel));
  }
  created_.push_back({rel, false});
}

void SafeOutputDir::set_mode(const std::string& rel, uint32_t mode) {
  std::string name;
  Fd parent = open_parent(rel, name);
  int fd = ::openat(parent.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw_errno("cannot open", join_path(dir_, rel));
  Fd f(fd);
  if (::fchmod(f.get(), mode & 0777) != 0) throw_errno("cannot chmod", join_path(dir_, rel));
}

void SafeOutputDir::set_mtime(const std::string& rel, int64_t mtime) {
  std::string name;
  Fd parent = open_parent(rel, name);
  struct timespec ts[2];
  ts[0].tv_sec = ts[1].tv_sec = static_cast<time_t>(mtime);
  ts[0].tv_nsec = ts[1].tv_nsec = 0;
  if (::utimensat(parent.get(), name.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0)
    throw_errno("cannot set mtime of", join_path(dir_, rel));
}

}  // namespace distill::inspect
