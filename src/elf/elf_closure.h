// The shared objects a program loads, found the way glibc's ld.so finds
// them (ld.so(8)), inside a RootTree rather than on the host: for each
// DT_NEEDED of an object, in breadth-first load order,
//   1. DT_RPATH of the object and of each object that loaded it (an object
//      with DT_RUNPATH contributes no RPATH), only if the object itself has
//      no DT_RUNPATH;
//   2. (LD_LIBRARY_PATH: not used, an image's environment is not the loader's)
//   3. DT_RUNPATH of the object itself (not of its loaders);
//   4. the directories of /etc/ld.so.conf, only when the root has an
//      /etc/ld.so.cache (without one ld.so never reads them);
//   5. the default directories: /lib/<triplet>, /usr/lib/<triplet>, /lib,
//      /usr/lib.
// $ORIGIN, $LIB and $PLATFORM are expanded as Debian's ld.so does. A file of
// another class or machine is skipped, as ld.so skips it. It lives in elf/
// (not app/) so that `inspect` can run it on an image's merged tree.
#pragma once

#include <string>
#include <vector>

#include "elf/elf_reader.h"
#include "elf/ldconfig.h"
#include "elf/root_tree.h"

namespace distill::elf {

struct LoadedObject {
  std::string path;       // where it was found (absolute, as searched)
  std::string canonical;  // the file behind it (symlinks resolved)
  std::string soname;     // the name it was requested by ("" for a root)
  std::string needed_by;  // path of the object whose DT_NEEDED named it ("" for a root)
  std::string found_via;  // "RPATH", "RUNPATH", "ld.so.conf", "default path", "root"
  ElfInfo info;           // parsed with symbols
};

struct MissingLibrary {
  std::string needed_by;  // path of the object that needs it
  std::string soname;
};

// A symbol version an object needs that the library it loads does not define.
struct MissingVersion {
  std::string needed_by;
  std::string library;  // the loaded library's path
  std::string soname;   // as named in .gnu.version_r
  std::string version;  // "GLIBC_2.38"
};

struct Closure {
  std::vector<LoadedObject> objects;  // roots first, then in load order
  std::vector<MissingLibrary> missing;
  std::vector<MissingVersion> missing_versions;
  // PT_INTERP of a root that is not a file in the tree: (root path, interpreter).
  std::vector<std::pair<std::string, std::string>> missing_interpreters;
};

// Expected ELF class (32/64) and e_machine of `arch`.
int elf_class_of(CacheArch arch);
uint16_t elf_machine_of(CacheArch arch);

// Resolves the closure of `roots` (absolute paths of ELF files in `root`).
// A root that is not an ELF file, or one for another class or machine,
// throws distill::Error naming it ("/app/x: not an ELF file", "/app/x: ELF
// for aarch64, not amd64"); everything else is reported in the result.
// `arch_name` is the Debian name used in that message.
Closure resolve_closure(const RootTree& root, const std::vector<std::string>& roots, CacheArch arch,
                        const std::string& arch_name);

// What an image does not give its programs ("will it run"): every ELF
// file of `root` of the right class and machine is a root (its soname is
// not taken as found: a library in a directory ld.so does not search stays
// invisible), and what their closure lacks is returned. Files of another
// machine are skipped. Reads every ELF file's dynamic and version sections.
Closure unmet_needs(const RootTree& root, CacheArch arch);

// The directories searched for `object`'s DT_NEEDED before the ld.so.conf
// and default ones, in order, with their origin ("RPATH" or "RUNPATH").
// `chain` is the object's loaders, nearest first. Exposed for tests.
std::vector<std::pair<std::string, std::string>> search_path_of(
    const LoadedObject& object, const std::vector<const LoadedObject*>& chain, CacheArch arch);

// One DT_RPATH/DT_RUNPATH entry with $ORIGIN ($ORIGIN's value given),
// $LIB and $PLATFORM expanded.
std::string expand_dst(const std::string& entry, const std::string& origin, CacheArch arch);

}  // namespace distill::elf
