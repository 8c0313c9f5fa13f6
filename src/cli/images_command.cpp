#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "image/definition.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/handles.h"

namespace distill::cli {

namespace {

void run_images(bool json) {
  std::set<std::string> names;
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& dir : default_image_dirs()) {
    DirPtr d = open_dir(dir);
    if (!d) continue;
    std::vector<std::string> files;
    while (dirent* e = ::readdir(d.get())) {
      std::string n = e->d_name;
      if (n.size() > 5 && n.substr(n.size() - 5) == ".yaml") files.push_back(n);
    }
    d.reset();
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::string name = f.substr(0, f.size() - 5);
      if (!names.insert(name).second) continue;
      Definition def = load_definition_file(join_path(dir, f));
      rows.emplace_back(name, def.description);
    }
  }
  if (json) {
    nlohmann::json j = nlohmann::json::array();
    for (auto& [n, desc] : rows) j.push_back({{"name", n}, {"description", desc}});
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  for (auto& [n, desc] : rows) std::printf("%-14s %s\n", n.c_str(), desc.c_str());
  std::printf("\nVariants: NAME:nonroot, NAME:debug, NAME:debug-nonroot\n");
}

}  // namespace

void add_images_command(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("images", "List the image family that ships with distill");
  cmd->add_flag("--json", *json, "Print as JSON");
  cmd->footer(help_footer("  distill images\n  distill images --json | jq -r '.[].name'"));
  cmd->callback([json] { run_images(*json); });
}

}  // namespace distill::cli
