#include "image/variant.h"

#include <algorithm>

#include "image/config.h"
#include "image/merge_by.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

std::string declared(const Definition& def) {
  std::string list;
  for (const auto& [name, v] : def.variants) list += (list.empty() ? "" : ", ") + name;
  return list.empty() ? "none" : list;
}

void apply_fields(Definition& def, const VariantSpec& v) {
  if (v.user) {
    def.config.user = v.user;
    def.config.where["user"] = v.where;
  }
  if (v.workdir) {
    def.config.workdir = v.workdir;
    def.config.where["workdir"] = v.where;
  }
  if (v.busybox) {
    def.busybox = v.busybox;
    def.key_where["busybox"] = v.where;
  }
  merge_by(def.packages, v.packages, [](const PackageSpec& p) { return p.name; });
  merge_by(def.files, v.files, [](const FileSpec& f) { return f.dest; });
  if (v.entrypoint_if_unset && (!def.config.entrypoint || def.config.entrypoint->empty())) {
    def.config.entrypoint = v.entrypoint_if_unset;
    def.config.where["entrypoint"] = v.where;
  }
  if (v.path_append) {
    std::vector<std::string> env = def.config.env.value_or(std::vector<std::string>{});
    bool found = false;
    for (auto& kv : env) {
      if (kv.rfind("PATH=", 0) == 0) {
        kv += ":" + *v.path_append;
        found = true;
      }
    }
    if (!found) env.insert(env.begin(), std::string(kDefaultPath) + ":" + *v.path_append);
    def.config.env = env;
  }
}

void apply_named(Definition& def, const std::string& name, std::vector<std::string>& stack) {
  auto it = def.variants.find(name);
  if (it == def.variants.end()) {
    std::string what = def.path.empty() ? def.name : def.path;
    if (!stack.empty()) {
      const VariantSpec& outer = def.variants.at(stack.back());
      throw Error(outer.where + ": variant " + stack.back() + " includes '" + name +
                  "', which is not declared (declared: " + declared(def) + ")");
    }
    throw Error("unknown variant '" + name + "' for " + what + " (it declares: " + declared(def) +
                "; add it under variants:)");
  }
  if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
    throw Error(it->second.where + ": variant " + name + " includes itself");
  }
  const VariantSpec v = it->second;  // a copy: applying may not touch variants, but be safe
  stack.push_back(name);
  for (const auto& inc : v.include) apply_named(def, inc, stack);
  stack.pop_back();
  apply_fields(def, v);
}

}  // namespace

VariantName split_variant(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || path_exists(text)) return {text, ""};
  std::string v = text.substr(colon + 1);
  if (v.empty() || v.find('/') != std::string::npos) return {text, ""};
  return {text.substr(0, colon), v};
}

void apply_variant(Definition& def, const std::string& variant) {
  if (variant.empty()) return;
  std::vector<std::string> stack;
  apply_named(def, variant, stack);
  // latest is the image itself under its usual tag.
  if (variant != "latest") def.name += ":" + variant;
}

}  // namespace distill
