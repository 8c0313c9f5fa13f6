// xz decoding with liblzma, threaded where cores are to spare, for the big
// multi-block data.tar.xz members dpkg writes (24 MiB blocks): the blocks of
// one stream are decoded on several cores. A single-block file decodes on
// one thread with no extra cost, so callers may use it for any size they
// think worth it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "util/io.h"

namespace distill {

// Decodes the .xz stream(s) read from `in` (concatenated streams are one
// stream, as xz -d does). `threads` 0 means xz_threads_for(usable_cores())
// (util/cores.h); 1 is liblzma's single-threaded decoder. `where` names the
// data in errors ("pkg.deb: data.tar.xz: xz data is corrupt: ..."). With
// threads, memory stays under about 160 MiB: past that liblzma falls back
// to one thread.
std::unique_ptr<ByteSource> make_xz_decoder(std::unique_ptr<ByteSource> in, std::string where,
                                            uint32_t threads = 0);

// The decoder threads for a machine of `cores` cores: 1 up to two cores
// (threading costs more CPU than it saves there), else one per core.
uint32_t xz_threads_for(unsigned cores);

}  // namespace distill
