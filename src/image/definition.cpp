// Finding definitions: names in the image directories, paths, the
// `from:` chain and the family rules under its root. Parsing one file is
// image/definition_keys.cpp; folding a child over its parent is
// image/definition_merge.cpp.
#include "image/definition.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "image/arch.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/suggest.h"

namespace distill {

uint32_t parse_mode(const std::string& text, const std::string& where) {
  bool ok = !text.empty() && text.size() <= 5 &&
            std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '7'; });
  uint32_t v = ok ? static_cast<uint32_t>(std::stoul(text, nullptr, 8)) : 0;
  if (!ok || v > 07777) {
    throw Error(where + ": mode '" + text + "' must be octal, e.g. 0644 or 1777");
  }
  return v;
}

namespace {

// Resolves packages whose resolve flag was left unset to the file default.
void settle_resolve_flags(Definition& d) {
  for (auto& p : d.packages) {
    if (!p.resolve) p.resolve = d.resolve;
  }
  for (auto& [name, v] : d.variants) {
    for (auto& p : v.packages) {
      if (!p.resolve) p.resolve = d.resolve;
    }
  }
}

// The family names in `dirs` (NAME of each NAME.yaml, and the bare names
// NAME-RELEASE.yaml files answer to), for suggestions.
std::vector<std::string> definition_names(const std::vector<std::string>& dirs) {
  std::set<std::string> names;
  std::vector<std::string> suffixes;
  for (const auto& r : list_releases(dirs)) suffixes.push_back("-" + r.name);
  for (const auto& dir : dirs) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      if (e.path().extension() != ".yaml") continue;
      std::string stem = e.path().stem().string();
      names.insert(stem);
      for (const auto& sfx : suffixes) {
        if (stem.size() > sfx.size() && stem.ends_with(sfx)) {
          names.insert(stem.substr(0, stem.size() - sfx.size()));
        }
      }
    }
  }
  return {names.begin(), names.end()};
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
  if (std::string p = resolve_image_name(name_or_path, search_dirs); !p.empty()) return p;
  for (const auto& r : list_releases(search_dirs)) {
    for (const auto& [image, why] : r.unavailable) {
      if (name_or_path == image + "-" + r.name) throw Error(name_or_path + ": " + why);
    }
  }
  throw Error("unknown image '" + name_or_path + "'" +
              did_you_mean(name_or_path, definition_names(search_dirs)) +
              " (`distill images` lists them; a path to a .yaml file also works)");
}

Definition load_chain(const std::string& name_or_path, const std::string& relative_to,
                      const std::vector<std::string>& search_dirs, std::set<std::string>& seen) {
  std::string path = absolute_path(find_definition(name_or_path, relative_to, search_dirs));
  if (!seen.insert(path).second) throw Error(path + ": 'from:' chain loops back to this file");
  Definition d = load_definition_file(path);
  settle_resolve_flags(d);
  if (d.from.empty()) {
    // The root inherits the family rules (unless it is the rules file).
    std::string rules = find_family_rules(search_dirs);
    if (rules.empty() || seen.count(absolute_path(rules))) return d;
    Definition family = load_definition_file(rules);
    settle_resolve_flags(family);
    return merge_definitions(std::move(family), d);
  }
  Definition parent = load_chain(d.from, d.dir, search_dirs, seen);
  return merge_definitions(std::move(parent), d);
}

}  // namespace

Definition load_definition(const std::string& name_or_path,
                           const std::vector<std::string>& search_dirs) {
  std::set<std::string> seen;
  Definition d = load_chain(name_or_path, "", search_dirs, seen);
  if (std::string rules = find_family_rules(search_dirs); !rules.empty())
    seen.insert(absolute_path(rules));
  if (!d.release.empty()) {
    Release r = find_release(d.release, search_dirs, d.release_where);
    if (!r.path.empty()) seen.insert(absolute_path(r.path));
    apply_release(d, r);
  }
  d.source_files.assign(seen.begin(), seen.end());
  return d;
}

void apply_release(Definition& d, const Release& r) {
  for (const auto& kv : r.os_release) {
    const std::string& key = kv.first;
    const std::string& value = kv.second;
    auto it = std::find_if(d.os_release.begin(), d.os_release.end(),
                           [&](const auto& own) { return own.first == key; });
    if (it == d.os_release.end()) {
      d.os_release.emplace_back(key, value);
    } else if (it->second.empty()) {
      it->second = value;
    }
  }
  if (!d.merged_usr) d.merged_usr = r.merged_usr;
  for (const auto& a : d.published_architectures) {
    if (std::find(r.architectures.begin(), r.architectures.end(), a) == r.architectures.end()) {
      throw Error(d.path + ": published-architectures lists " + a + ", which release " + r.name +
                  " (" + r.path + ") does not have");
    }
  }
  d.release_spec = r;
}

std::vector<std::string> build_architectures(const Definition& def,
                                             const std::vector<std::string>& requested) {
  if (std::find(requested.begin(), requested.end(), "all") != requested.end()) {
    if (requested.size() != 1)
      throw Error("--arch all cannot be combined with other architectures");
    if (!def.published_architectures.empty()) return def.published_architectures;
    if (def.release_spec) return def.release_spec->architectures;
    throw Error("--arch all: " + def.path +
                " has no published-architectures: and no release:; name the architectures");
  }
  if (!requested.empty()) return requested;
  if (!def.architectures.empty()) return def.architectures;
  return {host_debian_arch()};
}

std::string resolve_image_name(const std::string& name,
                               const std::vector<std::string>& search_dirs) {
  auto first = [&](const std::string& file) -> std::string {
    for (const auto& dir : search_dirs) {
      std::string p = join_path(dir, file);
      if (path_exists(p)) return p;
    }
    return "";
  };
  if (std::string p = first(name + ".yaml"); !p.empty()) return p;
  for (const auto& r : list_releases(search_dirs)) {
    if (std::string p = first(name + "-" + r.name + ".yaml"); !p.empty()) return p;
  }
  return "";
}

std::string find_family_rules(const std::vector<std::string>& search_dirs) {
  for (const auto& dir : search_dirs) {
    std::string p = join_path(dir, "common/family.yaml");
    if (path_exists(p)) return p;
  }
  return "";
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
