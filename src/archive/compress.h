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

// Compresses into `next`; finish() writes the trailer and finishes `next`.
std::unique_ptr<ByteSink> make_compressor(Compression c, ByteSink& next, int level = -1);

// Decompresses `in`. kNone passes bytes through.
std::unique_ptr<ByteSource> make_decompressor(Compression c, std::unique_ptr<ByteSource> in);

// Looks at the first bytes and picks gzip, zstd or none (for layers whose
// media type cannot be trusted, e.g. docker-archive members).
std::unique_ptr<ByteSource> auto_decompress(std::unique_ptr<ByteSource> in);

}  // namespace distill
