#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "image/definition.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/handles.h"

namespace distill::cli {

namespace {

// One image of the family as `distill images` shows it.
struct ImageRow {
  std::string name;
  std::string release;
  std::vector<std::string> architectures;  // published (else the release's)
  std::vector<std::string> variants;
  std::vector<std::string> aliases;  // bare names that mean this image
  std::string description;
};

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// NAME of every NAME.yaml in the image directories (the first wins).
std::vector<std::string> image_names(const std::vector<std::string>& dirs) {
  std::set<std::string> names;
  for (const auto& dir : dirs) {
    DirPtr d = open_dir(dir);
    if (!d) continue;
    while (dirent* e = ::readdir(d.get())) {
      std::string n = e->d_name;
      if (n.size() > 5 && n.substr(n.size() - 5) == ".yaml")
        names.insert(n.substr(0, n.size() - 5));
    }
  }
  return {names.begin(), names.end()};
}

std::vector<ImageRow> image_rows() {
  std::vector<std::string> dirs = default_image_dirs();
  std::vector<std::string> names = image_names(dirs);
  std::vector<ImageRow> rows;
  std::map<std::string, size_t> by_path;
  for (const auto& name : names) {
    Definition def = load_definition(name, dirs);
    ImageRow r{name, def.release, def.published_architectures, {}, {}, def.description};
    if (r.architectures.empty() && def.release_spec)
      r.architectures = def.release_spec->architectures;
    for (const auto& [v, spec] : def.variants) r.variants.push_back(v);
    by_path[absolute_path(resolve_image_name(name, dirs))] = rows.size();
    rows.push_back(std::move(r));
  }
  // A bare name (static) is an alias of the newest release's image.
  std::set<std::string> bare;
  for (const auto& r : rows) {
    std::string sfx = "-" + r.release;
    if (!r.release.empty() && r.name.ends_with(sfx))
      bare.insert(r.name.substr(0, r.name.size() - sfx.size()));
  }
  for (const auto& b : bare) {
    if (std::find(names.begin(), names.end(), b) != names.end()) continue;
    auto it = by_path.find(absolute_path(resolve_image_name(b, dirs)));
    if (it != by_path.end()) rows[it->second].aliases.push_back(b);
  }
  return rows;
}

void run_images(bool json) {
  std::vector<ImageRow> rows = image_rows();
  if (json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : rows) {
      j.push_back({{"name", r.name},
                   {"release", r.release},
                   {"architectures", r.architectures},
                   {"variants", r.variants},
                   {"aliases", r.aliases},
                   {"description", r.description}});
    }
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("%-20s %-11s %-9s %-40s %s\n", "IMAGE", "ALIAS", "RELEASE", "ARCHITECTURES",
              "DESCRIPTION");
  for (const auto& r : rows) {
    std::printf("%-20s %-11s %-9s %-40s %s\n", r.name.c_str(), joined(r.aliases, ",").c_str(),
                r.release.c_str(), joined(r.architectures, ",").c_str(), r.description.c_str());
  }
  std::set<std::string> variants;
  for (const auto& r : rows) variants.insert(r.variants.begin(), r.variants.end());
  std::printf(
      "\nALIAS: the bare name that builds the image (the newest release that has it).\n"
      "Variants: NAME:%s\n",
      joined({variants.begin(), variants.end()}, ", NAME:").c_str());
}

}  // namespace

void add_images_command(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "images", "List the image family that ships with distill: release, architectures, variants");
  cmd->add_flag("--json", *json, "Print as JSON");
  cmd->footer(help_footer("  distill images\n  distill images --json | jq -r '.[].name'"));
  cmd->callback([json] { run_images(*json); });
}

}  // namespace distill::cli
