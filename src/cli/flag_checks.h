// Validators for numeric flags that say what is allowed in words a user can
// act on: "--jobs must be between 1 and 64 (got 0)". Attach with ->check(...)
// where the flag is declared; they run before the value is converted.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace distill::cli {

// A whole number in [lo, hi]; `flag` names the flag in the message.
CLI::Validator int_range(const std::string& flag, int64_t lo, int64_t hi);

// A whole number of bytes, 0 or more.
CLI::Validator byte_count(const std::string& flag);

// -t/--tag: a tag, or NAME[:TAG], in the distribution spec's grammar
// (oci/names.h); the message names the first bad character.
CLI::Validator tag_name(const std::string& flag);

// --compression-level for the compressor named by *compression when the
// level is checked (CLI11 stores options in declaration order, so declare
// --compression first): gzip 1-9, zstd 1-19; none takes no level.
CLI::Validator compression_level(const std::string& flag, const std::string* compression);

// A size such as 512M or 2G, greater than zero (archive/size_limits parse_size).
CLI::Validator positive_size(const std::string& flag);

// A snapshot TIMESTAMP, YYYYMMDDTHHMMSSZ (debian/archive.h parse_snapshot_timestamp).
CLI::Validator snapshot_timestamp(const std::string& flag);

}  // namespace distill::cli
