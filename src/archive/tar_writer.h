// Writes a tar stream whose bytes depend only on the entries given: GNU
// format (as the reference images use), no atime/ctime, no pax headers with
// process ids, numeric ids always set.
#pragma once

#include <exception>
#include <functional>
#include <string_view>
#include <utility>

#include "archive/tar_entry.h"
#include "util/handles.h"
#include "util/io.h"

namespace distill {

class TarWriter {
 public:
  explicit TarWriter(ByteSink& sink);
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  // Regular files read exactly entry.size bytes from `data`.
  void add(const TarEntry& entry, ByteSource* data = nullptr);
  void add(const TarEntry& entry, std::string_view data);
  // `check` sees every entry before it is written and throws to refuse it,
  // so a rule about what a layer may hold (image/merged_usr.h) holds for
  // every writer of the layer. Unset, nothing is checked.
  void set_check(std::function<void(const TarEntry&)> check) { check_ = std::move(check); }
  // Writes the end-of-archive blocks. The sink is not finished.
  void finish();
  uint64_t entries() const { return entries_; }

  struct SinkState {
    ByteSink* sink;
    std::exception_ptr error;
    bool discard = false;  // set when abandoning: drop trailers, keep the sink as is
  };

 private:
  void rethrow_sink_error();
  void write_data(ByteSource& data, uint64_t size, const std::string& path);
  SinkState state_;
  std::function<void(const TarEntry&)> check_;
  ArchiveWritePtr a_;
  uint64_t entries_ = 0;
  bool finished_ = false;
  bool closed_ = false;  // archive_write_close ran (it must run exactly once)
};

}  // namespace distill
