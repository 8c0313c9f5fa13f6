// Streaming gzip and zstd. Compressed output depends only on the input and
// the level: gzip headers carry no name and mtime 0, zstd runs single-threaded.
#pragma once

#include <memory>
#include <string>

#include "util/io.h"

namespace distill {

enum class Compression { kNone, kGzip, kZstd };

Compression parse_compression(const std::string& name);  // "gzip" | "zstd" | "none"
std::string compression_name(Compression c);

// Names the compressor that make_compressor(c, level) uses: format,
// implementation and the version of the library linked at run time, the
// effective level (-1 resolved to the default) and any framing parameter,
// e.g. "gzip/zlib-1.2.13/6" or "zstd/zstd-1.5.4/3"; "none" for kNone.
// Contract: for one input, two calls return the same string only if the
// compressed bytes are the same, and the string changes exactly when the
// bytes could change (a new library version, level or framing), so a cache
// of compressed layers keyed by it never serves bytes another compressor
// would not have written.
std::string compressor_identity(Compression c, int level = -1);

// Compresses into `next`; finish() writes the trailer and finishes `next`.
// `tap`, when given, is written every uncompressed byte, in order, by the
// time finish() returns, and is not finished. Both may be written from
// other threads than the caller's (never two at once, each write
// happening-before the next): gzip's member threads hash and store their
// members themselves, so the caller's thread only fills them.
std::unique_ptr<ByteSink> make_compressor(Compression c, ByteSink& next, int level = -1,
                                          ByteSink* tap = nullptr);

// Decompresses `in`. kNone passes bytes through.
std::unique_ptr<ByteSource> make_decompressor(Compression c, std::unique_ptr<ByteSource> in);

// Looks at the first bytes and picks gzip, zstd or none (for layers whose
// media type cannot be trusted, e.g. docker-archive members).
std::unique_ptr<ByteSource> auto_decompress(std::unique_ptr<ByteSource> in);

}  // namespace distill
