#include "archive/tar_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <utility>

#include "archive/size_limits.h"
#include "util/error.h"

namespace distill {

namespace {

la_ssize_t read_cb(struct archive* a, void* ctx, const void** out) {
  auto* s = static_cast<TarReader::SourceState*>(ctx);
  try {
    size_t n = s->in->read(s->buf.data(), s->buf.size());
    *out = s->buf.data();
    return static_cast<la_ssize_t>(n);
  } catch (...) {
    s->error = std::current_exception();
    archive_set_error(a, EIO, "input failed");
    return -1;
  }
}

TarEntry::Type entry_type(archive_entry* e) {
  if (archive_entry_hardlink(e)) return TarEntry::Type::kHardlink;
  switch (archive_entry_filetype(e)) {
    case AE_IFDIR:
      return TarEntry::Type::kDirectory;
    case AE_IFLNK:
      return TarEntry::Type::kSymlink;
    case AE_IFCHR:
      return TarEntry::Type::kCharDevice;
    case AE_IFBLK:
      return TarEntry::Type::kBlockDevice;
    case AE_IFIFO:
      return TarEntry::Type::kFifo;
    case AE_IFREG:
      return TarEntry::Type::kFile;
    default:
      throw Error("member " +
                  escape_name(archive_entry_pathname(e) ? archive_entry_pathname(e) : "?") +
                  " has an unsupported tar entry type");
  }
}

// libarchive words input that ends early differently per filter (xz says
// "No progress is possible"); users need to hear that the file is cut short.
std::string plain(const std::string& msg) {
  bool cut = msg.find("No progress is possible") != std::string::npos ||
             msg.find("runcated") != std::string::npos ||
             msg.find("Premature end") != std::string::npos;
  return cut ? "truncated (the data ends early): " + msg : msg;
}

}  // namespace

TarReader::TarReader(std::unique_ptr<ByteSource> in, std::string name)
    : state_{std::move(in), std::vector<char>(1 << 17), nullptr},
      name_(std::move(name)),
      a_(archive_read_new()) {
  if (!a_) throw Error("libarchive: out of memory");
  archive_read_support_filter_all(a_.get());
  archive_read_support_format_tar(a_.get());
  archive_read_support_format_gnutar(a_.get());
  if (archive_read_open(a_.get(), &state_, nullptr, read_cb, nullptr) != ARCHIVE_OK) {
    std::string msg =
        archive_error_string(a_.get()) ? archive_error_string(a_.get()) : "cannot open";
    std::exception_ptr err = std::exchange(state_.error, nullptr);
    if (err) std::rethrow_exception(err);
    throw Error(name_ + ": " + plain(msg));
  }
}

TarReader::~TarReader() = default;

void TarReader::fail(const std::string& what) {
  if (state_.error) std::rethrow_exception(std::exchange(state_.error, nullptr));
  const char* msg = archive_error_string(a_.get());
  throw Error(name_ + ": " + what + (msg ? ": " + plain(msg) : ""));
}

bool TarReader::next(TarEntry& out) {
  archive_entry* e = nullptr;
  int rc = archive_read_next_header(a_.get(), &e);
  if (rc == ARCHIVE_EOF) return false;
  if (rc < ARCHIVE_WARN) fail("not a readable tar stream");
  const char* p = archive_entry_pathname(e);
  // A pax UTF-8 name the C locale cannot represent has no multibyte form.
  if (!p) p = archive_entry_pathname_utf8(e);
  if (!p) fail("an entry has a name that cannot be decoded");
  raw_path_ = p;
  if (!is_utf8(raw_path_))
    throw Error(name_ + ": member name '" + escape_name(raw_path_) + "' is not valid UTF-8");
  out = TarEntry{};
  try {
    out.path = normalize_member_path(raw_path_);
  } catch (const Error& err) {
    throw Error(name_ + ": entry " + err.what());
  }
  try {
    out.type = entry_type(e);
  } catch (const Error& err) {
    throw Error(name_ + ": " + err.what());
  }
  out.mode = static_cast<uint32_t>(archive_entry_perm(e)) & 07777;
  out.uid = static_cast<uint32_t>(archive_entry_uid(e));
  out.gid = static_cast<uint32_t>(archive_entry_gid(e));
  if (const char* u = archive_entry_uname(e)) out.uname = u;
  if (const char* g = archive_entry_gname(e)) out.gname = g;
  out.mtime = archive_entry_mtime(e);
  if (out.type == TarEntry::Type::kSymlink) {
    const char* l = archive_entry_symlink(e);
    if (!l) l = archive_entry_symlink_utf8(e);
    out.link = l ? l : "";
  } else if (out.type == TarEntry::Type::kHardlink) {
    const char* l = archive_entry_hardlink(e);
    if (!l) l = archive_entry_hardlink_utf8(e);
    out.link = l ? l : "";
  }
  if (!is_utf8(out.link)) {
    throw Error(name_ + ": " + type_name(out.type) + " " + escape_name(raw_path_) + " target '" +
                escape_name(out.link) + "' is not valid UTF-8");
  }
  if (out.type == TarEntry::Type::kHardlink) {
    try {
      out.link = normalize_member_path(out.link);
    } catch (const Error& err) {
      throw Error(name_ + ": hardlink " + escape_name(raw_path_) + " target " + err.what());
    }
  }
  if (out.type == TarEntry::Type::kFile) {
    la_int64_t s = archive_entry_size(e);
    out.size = s > 0 ? static_cast<uint64_t>(s) : 0;
  }
  if (max_member_ && out.size > max_member_) {
    throw Error(name_ + ": member " + escape_name(raw_path_) + " declares " +
                over_limit(out.size, max_member_, "per-file", "--max-file-size"));
  }
  total_ += out.size + 512;
  if (max_total_ && total_ > max_total_) {
    throw Error(name_ + ": members up to " + escape_name(raw_path_) + " add up to " +
                over_limit(total_, max_total_, "per-layer", "--max-layer-size"));
  }
  if (out.type == TarEntry::Type::kCharDevice || out.type == TarEntry::Type::kBlockDevice) {
    out.dev_major = static_cast<uint32_t>(archive_entry_rdevmajor(e));
    out.dev_minor = static_cast<uint32_t>(archive_entry_rdevminor(e));
  }
  return true;
}

void TarReader::set_limits(uint64_t max_member, uint64_t max_total) {
  max_member_ = max_member;
  max_total_ = max_total;
}

size_t TarReader::read(void* buf, size_t size) {
  la_ssize_t n = archive_read_data(a_.get(), buf, size);
  if (n < 0) fail("cannot read data of " + raw_path_);
  return static_cast<size_t>(n);
}

std::string TarReader::read_all_data() {
  return distill::read_all(data_);
}

ByteSource& TarReader::data() {
  return data_;
}

}  // namespace distill
