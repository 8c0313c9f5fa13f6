// A small ELF reader: class, machine, type, PT_INTERP, DT_NEEDED, DT_SONAME,
// DT_RUNPATH/DT_RPATH, the symbol versions an object needs and defines, and
// the dynamic symbols it imports (for the implicit-dependency rules). It reads
// through a random-access callback so that it works on files on disk and on
// a bounded prefix captured while streaming a layer (where the dynamic
// section may lie beyond the prefix: `needed_complete` says so).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace distill::elf {

struct ElfInfo {
  int elf_class = 0;  // 32 or 64
  bool little_endian = true;
  uint16_t type = 0;  // ET_EXEC 2, ET_DYN 3, ...
  uint16_t machine = 0;
  bool has_interp = false;
  std::string interpreter;  // PT_INTERP contents, e.g. /lib64/ld-linux-x86-64.so.2
  bool dynamic = false;     // has PT_DYNAMIC
  std::vector<std::string> needed;
  std::string soname;
  bool has_runpath = false, has_rpath = false;
  std::string runpath;          // DT_RUNPATH as stored (colon-separated, $ORIGIN unexpanded)
  std::string rpath;            // DT_RPATH as stored
  bool needed_complete = true;  // false when DT_NEEDED lay outside the readable data
  bool interp_complete = true;  // false when PT_INTERP lay outside the readable data

  // From the section headers (.gnu.version_r, .gnu.version_d, .dynsym):
  // versions needed per library file ("libc.so.6" -> {"GLIBC_2.34", ...}),
  // versions this object defines (its VERDEF names, the base entry left
  // out) and the undefined dynamic symbols it imports. A stripped section
  // table leaves them empty; data beyond what `read` returns leaves
  // symbols_complete false.
  std::vector<std::pair<std::string, std::vector<std::string>>> version_needs;
  std::vector<std::string> version_defs;
  std::vector<std::string> imports;
  bool symbols_complete = true;
};

// Returns up to `len` bytes at `offset` (fewer at the end of the data).
using ReadAt = std::function<std::string(uint64_t offset, size_t len)>;

bool has_elf_magic(std::string_view head);

// Parses an ELF image. Throws distill::Error naming `what` when the header
// or program headers are malformed or truncated. `symbols` also reads the
// section table's version and dynamic-symbol sections (version_needs,
// version_defs, imports); it costs a read of .dynsym, so scans leave it off.
ElfInfo parse_elf(const ReadAt& read, const std::string& what, bool symbols = false);
// Parses the first bytes of a file only; PT_INTERP is nearly always inside
// the first page, DT_NEEDED often is not.
ElfInfo parse_elf_prefix(std::string_view prefix, const std::string& what);
ElfInfo parse_elf_file(const std::string& path, bool symbols = false);

const char* type_name(uint16_t type);
const char* machine_name(uint16_t machine);  // "x86-64", "aarch64", ... or "unknown"

}  // namespace distill::elf
