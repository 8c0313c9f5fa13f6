#include "archive/tar_writer.h"

#include <archive.h>
#include <archive_entry.h>

#include <sys/stat.h>
#include <cerrno>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include "util/error.h"

namespace distill {

namespace {

// Exceptions must not cross libarchive's C frames: park them and rethrow.
la_ssize_t write_cb(struct archive* a, void* ctx, const void* buf, size_t n) {
  auto* w = static_cast<TarWriter::SinkState*>(ctx);
  if (w->discard) return static_cast<la_ssize_t>(n);
  try {
    w->sink->write(buf, n);
  } catch (...) {
    w->error = std::current_exception();
    archive_set_error(a, EIO, "output failed");
    return -1;
  }
  return static_cast<la_ssize_t>(n);
}

mode_t file_type_bits(TarEntry::Type t) {
  switch (t) {
    case TarEntry::Type::kFile:
    case TarEntry::Type::kHardlink:
      return AE_IFREG;
    case TarEntry::Type::kDirectory:
      return AE_IFDIR;
    case TarEntry::Type::kSymlink:
      return AE_IFLNK;
    case TarEntry::Type::kCharDevice:
      return AE_IFCHR;
    case TarEntry::Type::kBlockDevice:
      return AE_IFBLK;
    case TarEntry::Type::kFifo:
      return AE_IFIFO;
  }
  return AE_IFREG;
}

}  // namespace

TarWriter::TarWriter(ByteSink& sink) : state_{&sink, nullptr}, a_(archive_write_new()) {
  if (!a_) throw Error("libarchive: out of memory");
  archive_write_set_format_gnutar(a_.get());
  archive_write_add_filter_none(a_.get());
  // Pad only to 512-byte records so layer sizes stay tight.
  archive_write_set_bytes_per_block(a_.get(), 512);
  archive_write_set_bytes_in_last_block(a_.get(), 1);
  if (archive_write_open2(a_.get(), &state_, nullptr, write_cb, nullptr, nullptr) != ARCHIVE_OK) {
    std::string msg =
        archive_error_string(a_.get()) ? archive_error_string(a_.get()) : "open failed";
    throw Error("libarchive: " + msg);
  }
}

TarWriter::~TarWriter() {
  // Without finish() the stream is abandoned (an error unwound): nothing more
  // may reach the sink. Closing still runs, with writes discarded, because
  // libarchive frees its output buffer only in close, and archive_write_free
  // skips close once a write has failed.
  if (!closed_) {
    state_.discard = true;
    archive_write_close(a_.get());
  }
}

void TarWriter::add(const TarEntry& entry, std::string_view data) {
  StringSource src{std::string(data)};
  TarEntry e = entry;
  e.size = data.size();
  add(e, &src);
}

void TarWriter::add(const TarEntry& e, ByteSource* data) {
  if (check_) check_(e);
  ArchiveEntryPtr ae(archive_entry_new());
  std::string name = e.path;
  if (e.type == TarEntry::Type::kDirectory && !name.empty() && name.back() != '/') name += '/';
  archive_entry_copy_pathname(ae.get(), name.c_str());
  archive_entry_set_filetype(ae.get(), file_type_bits(e.type));
  archive_entry_set_perm(ae.get(), e.mode & 07777);
  archive_entry_set_uid(ae.get(), e.uid);
  archive_entry_set_gid(ae.get(), e.gid);
  if (!e.uname.empty()) archive_entry_copy_uname(ae.get(), e.uname.c_str());
  if (!e.gname.empty()) archive_entry_copy_gname(ae.get(), e.gname.c_str());
  archive_entry_set_mtime(ae.get(), e.mtime, 0);
  uint64_t size = 0;
  switch (e.type) {
    case TarEntry::Type::kFile:
      size = e.size;
      break;
    case TarEntry::Type::kSymlink:
      archive_entry_copy_symlink(ae.get(), e.link.c_str());
      break;
    case TarEntry::Type::kHardlink:
      archive_entry_copy_hardlink(ae.get(), e.link.c_str());
      break;
    case TarEntry::Type::kCharDevice:
    case TarEntry::Type::kBlockDevice:
      archive_entry_set_rdevmajor(ae.get(), e.dev_major);
      archive_entry_set_rdevminor(ae.get(), e.dev_minor);
      break;
    default:
      break;
  }
  archive_entry_set_size(ae.get(), static_cast<la_int64_t>(size));
  if (archive_write_header(a_.get(), ae.get()) < ARCHIVE_WARN) {
    rethrow_sink_error();
    throw Error("cannot write tar header for " + e.path + ": " + archive_error_string(a_.get()));
  }
  if (size > 0) {
    if (!data) throw Error("internal: no data for " + e.path);
    write_data(*data, size, e.path);
  }
  ++entries_;
}

void TarWriter::write_data(ByteSource& data, uint64_t size, const std::string& path) {
  std::vector<char> buf(1 << 17);
  uint64_t left = size;
  while (left > 0) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
    size_t n = data.read(buf.data(), want);
    if (n == 0) {
      throw Error(path + ": data ended " + std::to_string(left) + " bytes early (file changed?)");
    }
    if (archive_write_data(a_.get(), buf.data(), n) < 0) {
      rethrow_sink_error();
      throw Error("cannot write tar data for " + path + ": " + archive_error_string(a_.get()));
    }
    left -= n;
  }
}

void TarWriter::rethrow_sink_error() {
  if (state_.error) std::rethrow_exception(std::exchange(state_.error, nullptr));
}

void TarWriter::finish() {
  if (finished_) return;
  if (closed_) throw Error("internal: tar stream finished again after it failed");
  closed_ = true;
  if (archive_write_close(a_.get()) != ARCHIVE_OK) {
    rethrow_sink_error();
    throw Error(std::string("cannot finish tar stream: ") + archive_error_string(a_.get()));
  }
  finished_ = true;
}

}  // namespace distill
