#include "image/variant.h"

#include <algorithm>

#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {
constexpr const char* kVariants[] = {"latest", "nonroot", "debug", "debug-nonroot"};
}

VariantName split_variant(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || path_exists(text)) return {text, ""};
  std::string v = text.substr(colon + 1);
  for (const char* known : kVariants) {
    if (v == known) return {text.substr(0, colon), v};
  }
  throw Error("unknown variant '" + v + "' in '" + text +
              "' (expected latest, nonroot, debug or debug-nonroot)");
}

void apply_variant(Definition& def, const std::string& variant) {
  bool nonroot = variant == "nonroot" || variant == "debug-nonroot";
  bool debug = variant == "debug" || variant == "debug-nonroot";
  if (nonroot) {
    def.config.user = "65532";
    def.config.workdir = "/home/nonroot";
  }
  if (debug) {
    def.busybox = "/busybox";
    for (const auto& p : def.debug_packages) {
      auto same = [&](const PackageSpec& q) { return q.name == p.name; };
      auto it = std::find_if(def.packages.begin(), def.packages.end(), same);
      if (it != def.packages.end()) {
        *it = p;
      } else {
        def.packages.push_back(p);
      }
    }
    // The reference builds language images (java, python) on top of the
    // parent's debug image and sets their own entrypoint again, so only an
    // image without one gets the shell.
    if (!def.config.entrypoint || def.config.entrypoint->empty()) {
      def.config.entrypoint = std::vector<std::string>{"/busybox/sh"};
    }
    std::vector<std::string> env = def.config.env.value_or(std::vector<std::string>{});
    bool found = false;
    for (auto& kv : env) {
      if (kv.rfind("PATH=", 0) == 0) {
        kv += ":/busybox";
        found = true;
      }
    }
    if (!found) {
      env.insert(env.begin(),
                 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox");
    }
    def.config.env = env;
  }
  if (!variant.empty() && variant != "latest") {
    def.name += ":" + variant;
  }
}

}  // namespace distill
