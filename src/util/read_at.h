// Positioned reads of an open file, for parsers that jump around in it
// (ELF headers, sections) without reading the whole file.
#pragma once

#include <cstdint>
#include <string>

namespace distill {

// Up to `len` bytes of `fd` from offset `off`; fewer only at end of file.
// Retries short reads. Throws Error naming `path` on a read error.
std::string read_at(int fd, uint64_t off, size_t len, const std::string& path);

}  // namespace distill
