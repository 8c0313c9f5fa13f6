#include "elf/elf_closure.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "util/error.h"
#include "util/strings.h"

namespace distill::elf {

namespace {

std::string closure_dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

const char* platform_of(CacheArch arch) {
  switch (arch) {
    case CacheArch::kAmd64:
      return "x86_64";
    case CacheArch::kI386:
      return "i686";
    case CacheArch::kArm64:
      return "aarch64";
    case CacheArch::kArmhf:
    case CacheArch::kArmel:
      return "v7l";
    case CacheArch::kRiscv64:
      return "riscv64";
    case CacheArch::kS390x:
      return "s390x";
    case CacheArch::kPpc64el:
      return "power8";
  }
  return "";
}

// Replaces $NAME and ${NAME} in `s` by `value`.
void replace_token(std::string& s, const std::string& name, const std::string& value) {
  for (const std::string& tok : {"${" + name + "}", "$" + name}) {
    size_t at = 0;
    while ((at = s.find(tok, at)) != std::string::npos) {
      s.replace(at, tok.size(), value);
      at += value.size();
    }
  }
}

// A file a search found: the path searched and the file behind it.
struct Candidate {
  std::string path, canonical;
};

class ClosureWalk {
 public:
  ClosureWalk(const RootTree& root, CacheArch arch, const std::string& arch_name)
      : root_(root), arch_(arch), arch_name_(arch_name) {
    if (root_.find("/etc/ld.so.cache")) conf_dirs_ = ldconfig_directories(root_, arch_);
    std::string t = multiarch_triplet(arch_);
    default_dirs_ = {"/lib/" + t, "/usr/lib/" + t, "/lib", "/usr/lib"};
  }

  Closure run(const std::vector<std::string>& roots);

 private:
  std::optional<ElfInfo> read_elf(const std::string& canonical, bool strict,
                                  const std::string& shown);
  std::optional<Candidate> try_path(const std::string& path);
  void load_needed(size_t from, const std::string& needed);
  std::vector<const LoadedObject*> chain_of(size_t index) const;
  void add(LoadedObject obj, int parent);
  void add_image_roots();
  void check_versions();

  const RootTree& root_;
  CacheArch arch_;
  std::string arch_name_;
  std::vector<std::string> conf_dirs_, default_dirs_;
  Closure out_;
  std::vector<int> parent_;
  std::map<std::string, size_t> by_name_;  // sonames, paths and canonical paths -> index
  std::deque<size_t> queue_;
};

std::optional<ElfInfo> ClosureWalk::read_elf(const std::string& canonical, bool strict,
                                             const std::string& shown) {
  const RootTree::Node* node = root_.find(canonical);
  if (!node || node->type != RootTree::Type::kFile) {
    if (strict) throw Error(shown + ": not a file");
    return std::nullopt;
  }
  std::string head = node->read(0, 4);
  if (!has_elf_magic(head)) {
    if (strict) throw Error(shown + ": not an ELF file");
    return std::nullopt;
  }
  ElfInfo info;
  try {
    info = parse_elf(node->read, shown, true);
  } catch (const Error&) {
    if (strict) throw;
    return std::nullopt;
  }
  if (info.elf_class != elf_class_of(arch_) || info.machine != elf_machine_of(arch_)) {
    if (strict)
      throw Error(shown + ": ELF for " + machine_name(info.machine) + " (" +
                  std::to_string(info.elf_class) + "-bit), not " + arch_name_);
    return std::nullopt;
  }
  return info;
}

std::optional<Candidate> ClosureWalk::try_path(const std::string& path) {
  auto canonical = root_.resolve(path);
  if (!canonical) return std::nullopt;
  const RootTree::Node* node = root_.find(*canonical);
  if (!node || node->type != RootTree::Type::kFile) return std::nullopt;
  // The path as searched, with the directory's ".." and links folded, as
  // messages show it ("/app/lib/libfoo.so", not "/app/bin/../lib/...").
  std::string shown = RootTree::normalize(path);
  size_t slash = shown.rfind('/');
  if (auto dir = root_.resolve(shown.substr(0, slash)); dir && slash != std::string::npos)
    shown = (*dir == "/" ? "" : *dir) + shown.substr(slash);
  return Candidate{shown, *canonical};
}

std::vector<const LoadedObject*> ClosureWalk::chain_of(size_t index) const {
  std::vector<const LoadedObject*> chain;
  for (int p = parent_[index]; p >= 0; p = parent_[static_cast<size_t>(p)])
    chain.push_back(&out_.objects[static_cast<size_t>(p)]);
  return chain;
}

void ClosureWalk::add(LoadedObject obj, int parent) {
  size_t index = out_.objects.size();
  // A root is found by its path only: its DT_SONAME does not make ld.so
  // find it where it does not search.
  std::vector<std::string> keys = {obj.path, obj.canonical};
  if (parent >= 0) keys.insert(keys.end(), {obj.info.soname, obj.soname});
  for (const auto& key : keys)
    if (!key.empty()) by_name_.emplace(key, index);
  out_.objects.push_back(std::move(obj));
  parent_.push_back(parent);
  queue_.push_back(index);
}

void ClosureWalk::load_needed(size_t from, const std::string& needed) {
  if (by_name_.count(needed)) return;
  const LoadedObject& obj = out_.objects[from];
  std::vector<std::pair<std::string, std::string>> dirs;
  std::vector<std::string> direct;
  if (needed.find('/') != std::string::npos) {
    direct.push_back(expand_dst(needed, closure_dirname(obj.path), arch_));
  } else {
    dirs = search_path_of(obj, chain_of(from), arch_);
    for (const auto& d : conf_dirs_) dirs.emplace_back(d, "ld.so.conf");
    for (const auto& d : default_dirs_) dirs.emplace_back(d, "default path");
  }
  auto accept = [&](const std::string& path, const std::string& via) {
    auto cand = try_path(path);
    if (!cand) return false;
    if (auto it = by_name_.find(cand->canonical); it != by_name_.end()) {
      by_name_.emplace(needed, it->second);
      return true;
    }
    auto info = read_elf(cand->canonical, false, cand->path);
    if (!info) return false;
    add(LoadedObject{cand->path, cand->canonical, needed, obj.path, via, std::move(*info)},
        static_cast<int>(from));
    return true;
  };
  for (const auto& p : direct)
    if (accept(p, "path")) return;
  for (const auto& [dir, via] : dirs)
    if (accept(dir + "/" + needed, via)) return;
  out_.missing.push_back(MissingLibrary{obj.path, needed});
}

void ClosureWalk::check_versions() {
  for (const auto& obj : out_.objects) {
    for (const auto& [file, versions] : obj.info.version_needs) {
      auto it = by_name_.find(file);
      if (it == by_name_.end()) continue;  // reported as a missing library
      const LoadedObject& lib = out_.objects[it->second];
      // A library without version definitions only earns ld.so's warning.
      if (lib.info.version_defs.empty()) continue;
      for (const auto& v : versions) {
        if (std::find(lib.info.version_defs.begin(), lib.info.version_defs.end(), v) ==
            lib.info.version_defs.end())
          out_.missing_versions.push_back(MissingVersion{obj.path, lib.path, file, v});
      }
    }
  }
}

// Every ELF file of the root, for unmet_needs (directories walked in order).
void ClosureWalk::add_image_roots() {
  std::vector<std::string> stack = {"/"};
  while (!stack.empty()) {
    std::string dir = stack.back();
    stack.pop_back();
    std::vector<std::string> names = root_.list(dir);
    for (auto it = names.rbegin(); it != names.rend(); ++it) {
      std::string path = (dir == "/" ? "" : dir) + "/" + *it;
      const RootTree::Node* node = root_.find(path);
      if (!node) continue;
      if (node->type == RootTree::Type::kDirectory) stack.push_back(path);
      if (node->type != RootTree::Type::kFile || by_name_.count(path)) continue;
      auto info = read_elf(path, false, path);
      if (!info) continue;
      if (info->has_interp && info->interp_complete && !try_path(info->interpreter))
        out_.missing_interpreters.emplace_back(path, info->interpreter);
      add(LoadedObject{path, path, "", "", "root", std::move(*info)}, -1);
    }
  }
}

Closure ClosureWalk::run(const std::vector<std::string>& roots) {
  if (roots.empty()) add_image_roots();
  for (const auto& r : roots) {
    std::string path = RootTree::normalize(r);
    auto canonical = root_.resolve(path);
    if (!canonical) throw Error(path + ": not found");
    if (by_name_.count(*canonical)) continue;
    ElfInfo info = *read_elf(*canonical, true, path);
    if (info.has_interp && info.interp_complete) {
      auto cand = try_path(info.interpreter);
      if (!cand) out_.missing_interpreters.emplace_back(path, info.interpreter);
    }
    add(LoadedObject{path, *canonical, "", "", "root", std::move(info)}, -1);
  }
  while (!queue_.empty()) {
    size_t i = queue_.front();
    queue_.pop_front();
    std::vector<std::string> needed = out_.objects[i].info.needed;
    for (const auto& n : needed) load_needed(i, n);
  }
  check_versions();
  return std::move(out_);
}

}  // namespace

int elf_class_of(CacheArch arch) {
  switch (arch) {
    case CacheArch::kI386:
    case CacheArch::kArmhf:
    case CacheArch::kArmel:
      return 32;
    default:
      return 64;
  }
}

uint16_t elf_machine_of(CacheArch arch) {
  switch (arch) {
    case CacheArch::kAmd64:
      return 62;
    case CacheArch::kI386:
      return 3;
    case CacheArch::kArm64:
      return 183;
    case CacheArch::kArmhf:
    case CacheArch::kArmel:
      return 40;
    case CacheArch::kRiscv64:
      return 243;
    case CacheArch::kS390x:
      return 22;
    case CacheArch::kPpc64el:
      return 21;
  }
  return 0;
}

std::string expand_dst(const std::string& entry, const std::string& origin, CacheArch arch) {
  std::string s = entry;
  replace_token(s, "ORIGIN", origin);
  replace_token(s, "LIB", std::string("lib/") + multiarch_triplet(arch));
  replace_token(s, "PLATFORM", platform_of(arch));
  return s;
}

std::vector<std::pair<std::string, std::string>> search_path_of(
    const LoadedObject& object, const std::vector<const LoadedObject*>& chain, CacheArch arch) {
  std::vector<std::pair<std::string, std::string>> dirs;
  auto add_list = [&](const LoadedObject& o, const std::string& list, const char* via) {
    for (const auto& e : split(list, ':')) {
      if (e.empty()) continue;
      std::string d = expand_dst(e, closure_dirname(o.path), arch);
      // A relative entry is relative to the process's directory, which the
      // image does not fix; it is taken from the root as ld.so would from /.
      dirs.emplace_back(RootTree::normalize(d.front() == '/' ? d : "/" + d), via);
    }
  };
  if (!object.info.has_runpath) {
    if (object.info.has_rpath) add_list(object, object.info.rpath, "RPATH");
    for (const LoadedObject* l : chain)
      if (!l->info.has_runpath && l->info.has_rpath) add_list(*l, l->info.rpath, "RPATH");
  } else {
    add_list(object, object.info.runpath, "RUNPATH");
  }
  return dirs;
}

Closure resolve_closure(const RootTree& root, const std::vector<std::string>& roots, CacheArch arch,
                        const std::string& arch_name) {
  if (roots.empty()) throw Error(ErrorKind::kUsage, "resolve_closure: no program to resolve");
  return ClosureWalk(root, arch, arch_name).run(roots);
}

Closure unmet_needs(const RootTree& root, CacheArch arch) {
  return ClosureWalk(root, arch, "").run({});
}

}  // namespace distill::elf
