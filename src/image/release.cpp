// Release files: one parse function per key, in a table that is also the
// list of allowed keys (as image/definition_keys.cpp does for definitions).
#include "image/release.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <string_view>

#include "image/arch.h"
#include "image/definition_parse.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/suggest.h"

namespace distill {

namespace {

using defparse::boolean;
using defparse::Ctx;
using defparse::Key;
using defparse::os_release_key;
using defparse::str;
using defparse::string_list;
using Node = YAML::Node;

// A suite or codename: what an apt sources line and a URL path can carry.
std::string suite_name(const Ctx& c, const Node& n, const std::string& what) {
  std::string s = str(c, n, what);
  bool ok = !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
  });
  if (!ok) c.fail(n, what + " '" + s + "' must be lower-case letters, digits, '-' or '.'");
  return s;
}

void parse_version(const Ctx& c, const Node& n, Release& r) {
  r.version = str(c, n, "version");
  if (r.version.empty() || r.version.size() > 4 ||
      !std::all_of(r.version.begin(), r.version.end(), ::isdigit)) {
    c.fail(n, "version '" + r.version + "' must be the release's number, e.g. \"13\"");
  }
}

void parse_suites(const Ctx& c, const Node& n, Release& r) {
  if (!n.IsSequence() || n.size() == 0) c.fail(n, "suites must be a non-empty list");
  for (const auto& s : n) r.suites.push_back(suite_name(c, s, "suite"));
}

void parse_components(const Ctx& c, const Node& n, Release& r) {
  r.components = string_list(c, n, "components");
  if (r.components.empty()) c.fail(n, "components must name at least one (e.g. main)");
}

void parse_os_release(const Ctx& c, const Node& n, Release& r) {
  if (!n.IsMap()) c.fail(n, "os-release must be a mapping of KEY: value");
  for (auto it = n.begin(); it != n.end(); ++it) {
    std::string key = os_release_key(c, it->first);
    r.os_release.emplace_back(key, str(c, it->second, "os-release." + key));
  }
}

void parse_architectures(const Ctx& c, const Node& n, Release& r) {
  r.architectures = string_list(c, n, "architectures");
  if (r.architectures.empty()) c.fail(n, "architectures must name at least one");
  for (const auto& a : r.architectures) {
    try {
      gnu_triplet(a);
    } catch (const Error& e) {
      c.fail(n, e.what());
    }
  }
}

void parse_unavailable(const Ctx& c, const Node& n, Release& r) {
  if (!n.IsMap()) c.fail(n, "unavailable must map image names to what to use instead");
  for (auto it = n.begin(); it != n.end(); ++it) {
    std::string image = str(c, it->first, "unavailable");
    r.unavailable.emplace_back(image, str(c, it->second, "unavailable." + image));
  }
}

const Key<Release> kReleaseKeys[] = {
    {"name", [](const Ctx& c, const Node& n, Release& r) { r.name = suite_name(c, n, "name"); }},
    {"version", parse_version},
    {"codename",
     [](const Ctx& c, const Node& n, Release& r) { r.codename = suite_name(c, n, "codename"); }},
    {"suites", parse_suites},
    {"components", parse_components},
    {"os-release", parse_os_release},
    {"merged-usr",
     [](const Ctx& c, const Node& n, Release& r) { r.merged_usr = boolean(c, n, "merged-usr"); }},
    {"architectures", parse_architectures},
    {"unavailable", parse_unavailable},
};

// Every key is required: a release that leaves one out would build images
// that silently take another release's value.
void check_complete(const Ctx& c, const Node& root, const Release& r) {
  for (const auto& k : kReleaseKeys) {
    if (std::string_view(k.name) == "unavailable") continue;  // the one optional key
    if (!root[k.name]) c.fail(root, std::string("the release needs '") + k.name + "'");
  }
  std::string stem = std::filesystem::path(r.path).stem().string();
  if (r.name != stem)
    c.fail(root["name"], "name '" + r.name + "' must be the file's name, " + stem);
  for (const auto& s : r.suites) {
    if (s != r.codename && !s.starts_with(r.codename + "-")) {
      c.fail(root["suites"], "suite '" + s + "' is not " + r.codename + " or " + r.codename +
                                 "-SOMETHING (the host's suites are renamed by that rule)");
    }
  }
}

std::vector<std::string> release_files(const std::vector<std::string>& search_dirs) {
  std::vector<std::string> out;
  std::set<std::string> names;
  for (const auto& dir : search_dirs) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(join_path(dir, "releases"), ec)) {
      if (e.path().extension() == ".yaml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (names.insert(f.stem().string()).second) out.push_back(f.string());
    }
  }
  return out;
}

}  // namespace

Release load_release_file(const std::string& path) {
  YAML::Node root = defparse::load_yaml_file(path, "release");
  Release r;
  r.path = path;
  Ctx c{path, parent_dir(absolute_path(path))};
  defparse::parse_fields<Release>(c, root, "the release", kReleaseKeys, r);
  check_complete(c, root, r);
  return r;
}

Release find_release(const std::string& name, const std::vector<std::string>& search_dirs,
                     const std::string& where) {
  std::vector<std::string> names;
  for (const auto& f : release_files(search_dirs)) {
    std::string stem = std::filesystem::path(f).stem().string();
    if (stem == name) return load_release_file(f);
    names.push_back(stem);
  }
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw Error(where + ": unknown release '" + name + "'" + did_you_mean(name, names) +
              " (known: " + (known.empty() ? "none; no releases/ directory found" : known) + ")");
}

std::vector<Release> list_releases(const std::vector<std::string>& search_dirs) {
  std::vector<Release> out;
  for (const auto& f : release_files(search_dirs)) out.push_back(load_release_file(f));
  std::stable_sort(out.begin(), out.end(), [](const Release& a, const Release& b) {
    return std::stoi(a.version) > std::stoi(b.version);
  });
  return out;
}

}  // namespace distill
