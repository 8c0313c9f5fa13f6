#include "image/build_inputs.h"

#include "image/app_layer.h"
#include "image/generated.h"
#include "image/layer_plan.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill {

std::vector<FileInput> file_inputs(const Definition& def, const std::string& arch) {
  std::vector<FileInput> out;
  for (const auto& f : def.files) {
    FileInput in{expand_arch(f.dest, arch), "", f.where};
    if (f.content) {
      in.sha256 = sha256_hex(*f.content);
    } else {
      std::string src = *f.src;
      if (src.empty() || src[0] != '/') src = join_path(def.dir, src);
      if (!path_exists(src)) throw Error(f.where + ": source file " + src + " not found");
      in.sha256 = file_digest_hex(src, "sha256");
    }
    out.push_back(std::move(in));
  }
  return out;
}

std::vector<FileInput> app_file_inputs(const std::vector<AppSpec>& apps, const std::string& arch) {
  std::vector<FileInput> out;
  for (const auto& app : apps) {
    LayerPlan plan;
    plan_app_item(app, arch, plan);
    for (const auto& [path, src] : plan.host_files())
      out.push_back({path, file_digest_hex(src, "sha256"), app.where});
  }
  return out;
}

}  // namespace distill
