// Caps on uncompressed sizes, the defence against decompression bombs: a
// few KiB of xz or gzip can claim terabytes. Readers check the sizes tar
// headers declare before any data is written, so a bomb fails at its first
// oversized header instead of after filling the disk.
#pragma once

#include <cstdint>
#include <string>

namespace distill {

struct SizeLimits {
  // Far above the family's biggest file (java17's lib/modules, ~125 MiB) and
  // image (~220 MiB), far below a disk.
  uint64_t file = 1ull << 30;    // one member
  uint64_t layer = 4ull << 30;   // all members of one layer (headers count 512 bytes each)
  uint64_t image = 16ull << 30;  // all layers of one image (inspect, diff, extract)
};

// "1073741824", "512K", "300M", "2G", "1T" (powers of 1024; an optional
// trailing "iB" or "B" is accepted). Throws naming `what` on anything else.
uint64_t parse_size(const std::string& text, const std::string& what);

// "1 GiB", "300 MiB", "123 bytes": exact when the size is a whole unit.
std::string format_size(uint64_t bytes);

// "<size> is over the <limit> <kind> limit (raise it with <flag> SIZE)".
std::string over_limit(uint64_t size, uint64_t limit, const std::string& kind,
                       const std::string& flag);

}  // namespace distill
