// Reads tar streams (plain, gzip, zstd, xz, bzip2: libarchive detects the
// filter) entry by entry, without extracting anything to disk.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "archive/tar_entry.h"
#include "util/handles.h"
#include "util/io.h"

namespace distill {

class TarReader {
 public:
  // `name` is used in error messages (e.g. "layer sha256:ab12…").
  TarReader(std::unique_ptr<ByteSource> in, std::string name);
  ~TarReader();
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;

  // Advances to the next entry; false at the end. Paths are normalised
  // (normalize_member_path); an entry whose path escapes, or whose name or
  // link target is not UTF-8, is an Error. The root entry ("./") is
  // reported with an empty path.
  bool next(TarEntry& entry);
  // Caps checked against each header before its data is read: one member's
  // size, and the running total of member sizes plus 512 bytes per header
  // (so millions of empty entries count too). 0 means no cap. Errors name
  // the flag that raises the cap.
  void set_limits(uint64_t max_member, uint64_t max_total);
  uint64_t declared_total() const { return total_; }
  // Reads the current entry's data; 0 at its end.
  size_t read(void* buf, size_t size);
  std::string read_all_data();
  // The current entry's data as a stream (valid until next()).
  ByteSource& data();
  // Raw (unnormalised) name of the current entry.
  const std::string& raw_path() const { return raw_path_; }

  struct SourceState {
    std::unique_ptr<ByteSource> in;
    std::vector<char> buf;
    std::exception_ptr error;
  };

 private:
  class DataSource : public ByteSource {
   public:
    explicit DataSource(TarReader& r) : r_(r) {}
    size_t read(void* buf, size_t size) override { return r_.read(buf, size); }

   private:
    TarReader& r_;
  };
  [[noreturn]] void fail(const std::string& what);

  SourceState state_;
  std::string name_;
  ArchiveReadPtr a_;
  DataSource data_{*this};
  std::string raw_path_;
  uint64_t max_member_ = 0;
  uint64_t max_total_ = 0;
  uint64_t total_ = 0;
};

}  // namespace distill
