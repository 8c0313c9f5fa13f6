// A small ELF reader: class, machine, type, PT_INTERP and DT_NEEDED. It reads
// through a random-access callback so that it works on files on disk and on
// a bounded prefix captured while streaming a layer (where the dynamic
// section may lie beyond the prefix: `needed_complete` says so).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
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
  bool needed_complete = true;  // false when DT_NEEDED lay outside the readable data
  bool interp_complete = true;  // false when PT_INTERP lay outside the readable data
};

// Returns up to `len` bytes at `offset` (fewer at the end of the data).
using ReadAt = std::function<std::string(uint64_t offset, size_t len)>;

bool has_elf_magic(std::string_view head);

// Parses an ELF image. Throws distill::Error naming `what` when the header
// or program headers are malformed or truncated.
ElfInfo parse_elf(const ReadAt& read, const std::string& what);
// Parses the first bytes of a file only; PT_INTERP is nearly always inside
// the first page, DT_NEEDED often is not.
ElfInfo parse_elf_prefix(std::string_view prefix, const std::string& what);
ElfInfo parse_elf_file(const std::string& path);

const char* type_name(uint16_t type);
const char* machine_name(uint16_t machine);  // "x86-64", "aarch64", ... or "unknown"

}  // namespace distill::elf
