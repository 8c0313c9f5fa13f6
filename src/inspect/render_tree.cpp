#include <cstdio>
#include <string>

#include "inspect/render.h"
#include "util/error.h"

namespace distill::inspect {

namespace {

std::string start_path(const MergedFs& fs, const std::string& path) {
  std::string p = path;
  while (!p.empty() && p[0] == '/') p.erase(0, 1);
  while (!p.empty() && p.back() == '/') p.pop_back();
  if (!p.empty() && !fs.find(p)) throw Error("/" + p + " is not in the image");
  return p;
}

nlohmann::json entry_json(const FileInfo& f) {
  nlohmann::json j{{"path", "/" + f.path},
                   {"type", type_name(f.type)},
                   {"mode", octal_mode(f.mode)},
                   {"uid", f.uid},
                   {"gid", f.gid},
                   {"size", f.size},
                   {"layer", f.layer}};
  if (!f.link.empty()) j["link"] = f.type == TarEntry::Type::kHardlink ? "/" + f.link : f.link;
  if (f.implied) j["implied"] = true;
  if (f.elf) j["elf"] = f.elf_interp ? "dynamic" : "static";
  if (f.elf_interp) j["interpreter"] = f.interpreter;
  return j;
}

}  // namespace

std::string render_tree(const MergedFs& fs, const std::string& path) {
  std::string p = start_path(fs, path);
  std::string out;
  auto line = [&](const FileInfo& f) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s %5u:%-5u %10llu  L%-2d ", mode_string(f).c_str(), f.uid,
                  f.gid, static_cast<unsigned long long>(f.size), f.layer);
    out += buf;
    out += "/" + f.path;
    if (f.type == TarEntry::Type::kSymlink) out += " -> " + f.link;
    if (f.type == TarEntry::Type::kHardlink) out += " link to /" + f.link;
    out += "\n";
  };
  if (!p.empty()) line(*fs.find(p));
  fs.for_each_below(p, line);
  return out;
}

nlohmann::json tree_json(const MergedFs& fs, const std::string& path) {
  std::string p = start_path(fs, path);
  nlohmann::json out = nlohmann::json::array();
  if (!p.empty()) out.push_back(entry_json(*fs.find(p)));
  fs.for_each_below(p, [&](const FileInfo& f) { out.push_back(entry_json(f)); });
  return out;
}

}  // namespace distill::inspect
