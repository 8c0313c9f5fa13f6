#include "inspect/elf_needs.h"

#include "elf/elf_closure.h"
#include "elf/root_tree.h"
#include "inspect/extract.h"
#include "util/fs.h"

namespace distill::inspect {

namespace {

// What the loader-order analysis reads of a scanned image: ELF files,
// symlinks (sonames and merged /usr are links) and ld.so's configuration.
std::vector<std::string> analysis_paths(const MergedFs& fs) {
  std::vector<std::string> out;
  for (const auto& [path, f] : fs.files()) {
    if (path.empty() || f.whiteout != FileInfo::Whiteout::kNone) continue;
    bool loader_conf = path == "etc/ld.so.cache" || path == "etc/ld.so.conf" ||
                       path.rfind("etc/ld.so.conf.d/", 0) == 0;
    bool wanted = f.type == TarEntry::Type::kSymlink ||
                  ((f.type == TarEntry::Type::kFile || f.type == TarEntry::Type::kHardlink) &&
                   (f.elf || loader_conf));
    if (wanted) out.push_back("/" + path);
  }
  return out;
}

}  // namespace

UnmetNeeds image_unmet_needs(const oci::Image& image, elf::CacheArch arch,
                             const MergedFs* scanned) {
  TempDir tmp;
  std::string root = tmp.path() + "/root";
  std::vector<std::string> paths =
      scanned ? analysis_paths(*scanned) : std::vector<std::string>{"/"};
  UnmetNeeds out;
  if (paths.empty()) return out;
  extract_paths(image, paths, root);
  elf::Closure c = elf::unmet_needs(elf::RootTree::from_directory(root), arch);
  out.objects = c.objects.size();
  for (const auto& m : c.missing)
    out.needs.push_back({"missing-library", m.needed_by, m.soname, "",
                         m.needed_by + ": needs " + m.soname + ", which the image does not have"});
  for (const auto& m : c.missing_versions)
    out.needs.push_back(
        {"missing-symbol-version", m.needed_by, m.version, m.library,
         m.needed_by + ": needs " + m.version + ", which " + m.library + " does not define"});
  for (const auto& [file, interp] : c.missing_interpreters)
    out.needs.push_back({"missing-interpreter", file, interp, "",
                         file + ": its interpreter " + interp + " is not in the image"});
  return out;
}

}  // namespace distill::inspect
