// The pieces the definition loader is made of (image/definition_keys.cpp):
// a context that names file:line, readers for scalar values, and a table
// type, Key<T>, that says which keys a mapping allows and how each one is
// read. A table is the list of allowed keys, so the two cannot drift apart.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace distill::defparse {

// Where values come from: the file (for "FILE:LINE:" messages) and its
// directory (host paths in a definition are relative to it).
struct Ctx {
  std::string file;
  std::string dir;
  std::string at(const YAML::Node& n) const;
  [[noreturn]] void fail(const YAML::Node& n, const std::string& msg) const;
};

// Reads and parses the YAML file at `path`; throws Error "PATH: ..." when it
// cannot be read, has a syntax error (with its line) or is empty. `what`
// names the kind of file in those messages ("definition", "release").
YAML::Node load_yaml_file(const std::string& path, const std::string& what);

// The KEY of an os-release: mapping entry; fails naming its line unless it is
// upper-case letters, digits or _ (what os-release(5) allows).
std::string os_release_key(const Ctx& c, const YAML::Node& key);

std::string str(const Ctx& c, const YAML::Node& n, const std::string& what);
bool boolean(const Ctx& c, const YAML::Node& n, const std::string& what);
uint32_t number(const Ctx& c, const YAML::Node& n, const std::string& what);
uint32_t mode(const Ctx& c, const YAML::Node& n);
// A list of strings; a single string is a list of one.
std::vector<std::string> string_list(const Ctx& c, const YAML::Node& n, const std::string& what);
std::map<std::string, std::string> string_map(const Ctx& c, const YAML::Node& n,
                                              const std::string& what);
// An absolute path in the image without "..".
std::string image_path(const Ctx& c, const YAML::Node& n, const std::string& what);
// A host path, made absolute against the definition's directory.
std::string host_path(const Ctx& c, const YAML::Node& n, const std::string& what);

// One allowed key of a mapping and the function that reads its value.
template <typename T>
struct Key {
  const char* name;
  void (*parse)(const Ctx& c, const YAML::Node& value, T& out);
};

// Throws for a key of `map` that `allowed` lacks, naming its line, the
// allowed keys and, when one is a near miss, the likely intended one.
void check_keys(const Ctx& c, const YAML::Node& map, const std::string& what,
                const std::vector<std::string>& allowed);

template <typename T>
std::vector<std::string> key_names(std::span<const Key<T>> table) {
  std::vector<std::string> out;
  for (const auto& k : table) out.push_back(k.name);
  return out;
}

// Reads mapping `n` into `out` through `table`, in table order.
template <typename T>
void parse_fields(const Ctx& c, const YAML::Node& n, const std::string& what,
                  std::span<const Key<T>> table, T& out) {
  check_keys(c, n, what, key_names(table));
  for (const auto& k : table) {
    if (const YAML::Node v = n[k.name]) k.parse(c, v, out);
  }
}

// How the items of a list of mappings are read: `label` names the list in
// messages ("files"), `entry` an item ("a files entry"); `required` keys
// must be present; `scalar` (optional) reads the short form of an item,
// and `finish` (optional) checks and fills in an item once it is read.
template <typename T>
struct ListSchema {
  const char* label;
  const char* entry;
  std::span<const Key<T>> keys;
  std::vector<const char*> required;
  void (*scalar)(const Ctx& c, const YAML::Node& n, T& out) = nullptr;
  void (*finish)(const Ctx& c, const YAML::Node& n, T& out) = nullptr;
};

// The one reader for every list of mappings (files, directories, symlinks,
// packages, extract, repositories, users, groups, version-env, variants'
// packages). Each item gets `where` = "FILE:LINE" of its mapping.
template <typename T>
void parse_list(const Ctx& c, const YAML::Node& n, const std::string& name,
                const ListSchema<T>& schema, std::vector<T>& out) {
  if (!n.IsSequence()) c.fail(n, name + " must be a list");
  for (const auto& item : n) {
    T v{};
    v.where = c.at(item);
    if (schema.scalar && item.IsScalar()) {
      schema.scalar(c, item, v);
    } else {
      check_keys(c, item, schema.entry, key_names(schema.keys));
      std::string missing;
      for (const char* r : schema.required) {
        missing += std::string(missing.empty() ? "'" : " and '") + r + "'";
      }
      for (const char* r : schema.required) {
        if (!item[r]) c.fail(item, std::string(schema.label) + " entry needs " + missing);
      }
      for (const auto& k : schema.keys) {
        if (const YAML::Node f = item[k.name]) k.parse(c, f, v);
      }
    }
    if (schema.finish) schema.finish(c, item, v);
    out.push_back(std::move(v));
  }
}

}  // namespace distill::defparse
