// ELF reader: headers, program headers, PT_INTERP and the dynamic section,
// both random-access (files on disk) and from a bounded prefix (layers).
#include "elf/elf_reader.h"

#include <algorithm>

#include "fuzz_util.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes = distill::fuzz::as_text(data, size);
  auto read = [bytes](uint64_t offset, size_t len) {
    if (offset >= bytes.size()) return std::string();
    return std::string(bytes.substr(offset, len));
  };
  try {
    distill::elf::ElfInfo info = distill::elf::parse_elf(read, "input");
    distill::elf::type_name(info.type);
    distill::elf::machine_name(info.machine);
  } catch (const distill::Error&) {
  }
  try {
    distill::elf::has_elf_magic(bytes);
    distill::elf::parse_elf_prefix(bytes.substr(0, std::min<size_t>(bytes.size(), 4096)), "prefix");
  } catch (const distill::Error&) {
  }
  return 0;
}
