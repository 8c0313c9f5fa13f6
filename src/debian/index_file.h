// A Packages index in a compact form that costs almost nothing to load: the
// verified index text, plus tables (sorted package names, sorted provided
// names, one record per paragraph) so a lookup is a binary search and only
// the paragraphs asked for are read and parsed. The archive client keeps one
// per Packages file in its cache, keyed by the file's SHA-256 from the
// signed Release, so a build whose InRelease has not changed never
// decompresses or parses an index again.
//
// File layout (host byte order; the file never leaves the machine):
//   Header  magic "DSTIDX01", counts, sizes, SHA-256 of the header's other
//           fields and of every table (checked on load)
//   pool    the names the tables point into
//   records {u64 text offset, u32 length, u32 unused, u64 FNV-1a of the paragraph}
//   names   {u32 pool offset, u32 length, u32 record}, sorted by (name, record)
//   provides the same for Provides names, one row per (name, record)
//   text    the uncompressed Packages text
// A paragraph's checksum is checked each time it is read, so a corrupt text
// is found where it is used (IndexFile::paragraph throws kIntegrity).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/io.h"

namespace distill::debian {

class IndexFile {
 public:
  // The file's bytes for Packages `text`. Every paragraph is parsed as
  // PackageIndex::add_packages parses it, so a malformed one throws
  // Error("where:line: ...") here and nothing is stored.
  static std::string build(std::string_view text, const std::string& where);
  // Opens a file written from build(). Throws Error(kIntegrity) when it is
  // not one, is truncated, or its tables do not match their checksum.
  static std::shared_ptr<const IndexFile> open(const std::string& path);
  // The same over bytes held in memory (PackageIndex::add_packages).
  static std::shared_ptr<const IndexFile> from_bytes(std::string bytes, const std::string& where);

  size_t records() const { return records_; }
  // Records whose Package (or Provides) is `name`, in file order.
  std::vector<uint32_t> named(std::string_view name) const;
  std::vector<uint32_t> providing(std::string_view name) const;
  // Record `r`'s paragraph. Throws Error(kIntegrity) naming the file when
  // its bytes do not match their checksum.
  std::string paragraph(uint32_t r) const;
  const std::string& where() const { return where_; }

 private:
  IndexFile() = default;
  static std::shared_ptr<const IndexFile> parse_tables(std::shared_ptr<IndexFile> f);
  std::vector<uint32_t> lookup(uint64_t table, uint32_t count, std::string_view name) const;

  std::string where_;   // the cache file (or index) named in errors
  std::string tables_;  // header, pool and tables
  std::string text_;    // the text, when held in memory
  Fd fd_;               // else read from here, at text_offset_
  uint64_t text_offset_ = 0, text_size_ = 0;
  uint32_t records_ = 0, names_ = 0, provides_ = 0;
  uint64_t records_at_ = 0, names_at_ = 0, provides_at_ = 0;  // offsets in tables_
};

}  // namespace distill::debian
