#include "app/auto_from.h"

#include <yaml-cpp/yaml.h>

#include "app/auto_base.h"
#include "image/arch.h"
#include "image/definition_parse.h"
#include "image/release.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::app {

namespace {

// The interpreters table's candidates for `runtime`, and the file they came from.
std::vector<std::string> interpreter_images(const std::string& runtime,
                                            const std::vector<std::string>& dirs,
                                            std::string& file) {
  for (const auto& dir : dirs) {
    std::string p = join_path(dir, "common/interpreters.yaml");
    if (!path_exists(p)) continue;
    file = p;
    YAML::Node root = defparse::load_yaml_file(p, "interpreters");
    defparse::Ctx c{p, dir};
    if (!root.IsMap()) c.fail(root, "the interpreters table must map a runtime to image names");
    YAML::Node list = root[runtime];
    return list ? defparse::string_list(c, list, runtime) : std::vector<std::string>{};
  }
  throw Error("no common/interpreters.yaml in the image directories (" +
              (dirs.empty() ? std::string("none") : dirs.front()) + ", ...); reinstall distill");
}

std::string first_existing(const std::string& file, const std::vector<std::string>& dirs) {
  for (const auto& dir : dirs) {
    if (path_exists(join_path(dir, file))) return join_path(dir, file);
  }
  return "";
}

AutoChoice choose_interpreted_base(const AutoInput& in, const EntryKind& kind) {
  std::string release = auto_release(in.release, in.search_dirs);
  std::string table;
  std::vector<std::string> names = interpreter_images(kind.runtime, in.search_dirs, table);
  std::string tried;
  for (const auto& name : names) {
    std::string image = name + "-" + release;
    tried += (tried.empty() ? "" : ", ") + image;
    if (first_existing(image + ".yaml", in.search_dirs).empty()) continue;
    AutoChoice c;
    c.base = image;
    c.base_entrypoint_runs_it = true;
    c.explain.push_back("--from auto: " + in.shown + " is " + kind.reason + " (" + kind.runtime +
                        "): " + image + ", the first of " + kind.runtime + ": in " + table +
                        " that " + release + " has");
    return c;
  }
  throw Error(in.shown + ": --from auto found no " + release + " image that runs " + kind.runtime +
              " apps (" + table + " lists " + (tried.empty() ? std::string("none") : tried) +
              "); try --release or name a base with --from");
}

// The one place --from auto meets the ELF analysis (app/auto_base.h): the
// smallest family member of the release that serves the app's ELF files,
// and the exact packages it lacks.
AutoChoice choose_elf_base(const AutoInput& in, const EntryKind& kind) {
  AutoBaseRequest r;
  for (const auto& [host, image] : in.files) r.files.push_back({host, image});
  r.release = auto_release(in.release, in.search_dirs);
  r.arch = in.architectures.empty() ? host_debian_arch() : in.architectures.front();
  r.source = in.source;
  r.image_dirs = in.search_dirs;
  AutoBaseChoice b = choose_base(r);
  AutoChoice c;
  c.base = b.base;
  std::string extras;
  for (const auto& e : b.extras) {
    c.packages.push_back(e.name);
    extras += (extras.empty() ? "" : ", ") + e.name;
  }
  c.explain.push_back("--from auto: " + in.shown + " is " +
                      (kind.reason.empty() ? std::string("an ELF program") : kind.reason) + ": " +
                      b.base + (extras.empty() ? std::string(", nothing added") : " + " + extras));
  for (const auto& line : b.reasons) c.explain.push_back("--from auto: " + line);
  return c;
}

}  // namespace

std::string auto_release(const std::string& release, const std::vector<std::string>& search_dirs) {
  if (!release.empty()) return find_release(release, search_dirs, "--release").name;
  std::vector<Release> all = list_releases(search_dirs);
  if (all.empty()) throw Error("no releases/*.yaml in the image directories; reinstall distill");
  return all.front().name;
}

AutoChoice choose_auto_base(const AutoInput& in) {
  EntryKind kind = classify_entry(in.entry_host, in.shown);
  if (kind.kind == EntryKind::kElf) return choose_elf_base(in, kind);
  return choose_interpreted_base(in, kind);
}

}  // namespace distill::app
