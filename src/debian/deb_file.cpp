#include "debian/deb_file.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <atomic>

#include "archive/xz_source.h"
#include "util/error.h"
#include "util/handles.h"

namespace distill::debian {

namespace {

constexpr uint64_t kMaxControlTar = 64ull << 20;  // real ones are a few KiB
constexpr uint64_t kMaxControlFile = 16ull << 20;
constexpr size_t kArHeader = 60;
// dpkg cuts data.tar.xz into 24 MiB blocks, so a member this large has
// several and decodes on every core where there are cores to spare
// (archive/xz_source.h); smaller ones are a single block, which libarchive
// decodes as fast on one thread.
constexpr uint64_t kThreadedXzMember = 8ull << 20;

ArchiveReadPtr open_ar(const std::string& path) {
  ArchiveReadPtr a(archive_read_new());
  if (!a) throw Error("out of memory opening " + path);
  archive_read_support_format_ar(a.get());
  archive_read_support_filter_none(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK)
    throw Error(path + ": not a Debian package: " + archive_error_string(a.get()));
  return a;
}

std::string err(archive* a) {
  const char* e = archive_error_string(a);
  return e ? e : "unknown libarchive error";
}

bool has_suffix_in(const std::string& name, const std::string& stem,
                   std::initializer_list<const char*> suffixes) {
  if (!name.starts_with(stem)) return false;
  std::string rest = name.substr(stem.size());
  for (const char* s : suffixes) {
    if (rest == s) return true;
  }
  return false;
}

std::string read_member(archive* a, const std::string& where, uint64_t limit) {
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    la_ssize_t n = archive_read_data(a, buf, sizeof buf);
    if (n < 0) throw Error(where + ": " + err(a));
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > limit)
      throw Error(where + ": larger than " + std::to_string(limit) + " bytes");
  }
  return out;
}

// Reads ./control and ./md5sums from the control tarball (any compression).
void parse_control_tar(const std::string& data, const std::string& where, std::string& control,
                       std::string& md5sums) {
  ArchiveReadPtr t(archive_read_new());
  archive_read_support_format_tar(t.get());
  archive_read_support_format_gnutar(t.get());
  archive_read_support_filter_all(t.get());
  if (archive_read_open_memory(t.get(), data.data(), data.size()) != ARCHIVE_OK)
    throw Error(where + ": " + err(t.get()));
  bool found = false;
  archive_entry* e;
  for (;;) {
    int r = archive_read_next_header(t.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) throw Error(where + ": " + err(t.get()));
    std::string name = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
    if (name.starts_with("./")) name = name.substr(2);
    if (name != "control" && name != "md5sums") continue;
    if (archive_entry_filetype(e) != AE_IFREG)
      throw Error(where + ": " + name + " is not a regular file");
    if (archive_entry_size(e) < 0 || static_cast<uint64_t>(archive_entry_size(e)) > kMaxControlFile)
      throw Error(where + ": " + name + " has an absurd size");
    std::string text = read_member(t.get(), where + "/" + name, kMaxControlFile);
    if (name == "control") {
      control = std::move(text);
      found = true;
    } else {
      md5sums = std::move(text);
    }
  }
  if (!found) throw Error(where + ": no control file");
}

class DataSource : public ByteSource {
 public:
  DataSource(ArchiveReadPtr a, std::string where) : a_(std::move(a)), where_(std::move(where)) {}
  size_t read(void* buf, size_t size) override {
    la_ssize_t n = archive_read_data(a_.get(), buf, size);
    if (n < 0) throw Error(where_ + ": " + err(a_.get()));
    return static_cast<size_t>(n);
  }

 private:
  ArchiveReadPtr a_;
  std::string where_;
};

}  // namespace

namespace {
std::atomic<uint64_t> g_debs_opened{0};
}  // namespace

uint64_t debs_opened() {
  return g_debs_opened.load();
}

DebFile::DebFile(const std::string& path) : path_(path) {
  ++g_debs_opened;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw_errno("cannot open", path);
  uint64_t file_size = static_cast<uint64_t>(st.st_size);
  ArchiveReadPtr a = open_ar(path);
  archive_entry* e;
  int index = 0;
  bool have_control = false;
  for (;; ++index) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
      throw Error(path + ": not a valid Debian package (ar): " + err(a.get()));
    std::string name = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
    la_int64_t size = archive_entry_size(e);
    la_int64_t pos = archive_read_header_position(a.get());
    if (size < 0 || pos < 0 ||
        static_cast<uint64_t>(pos) + kArHeader + static_cast<uint64_t>(size) > file_size)
      throw Error(path + ": member '" + name + "' claims " + std::to_string(size) +
                  " bytes but the file is truncated or the size is absurd");
    std::string where = path + ": " + name;
    if (index == 0) {
      if (name != "debian-binary")
        throw Error(path + ": not a Debian package: first member is '" + name +
                    "', expected 'debian-binary'");
      std::string v = read_member(a.get(), where, 64);
      if (!v.starts_with("2.")) throw Error(where + ": unsupported format version '" + v + "'");
    } else if (index == 1) {
      if (!has_suffix_in(name, "control.tar", {"", ".gz", ".xz", ".zst"}))
        throw Error(path + ": second member is '" + name + "', expected control.tar[.gz|.xz|.zst]");
      if (static_cast<uint64_t>(size) > kMaxControlTar)
        throw Error(where + ": absurd size " + std::to_string(size));
      parse_control_tar(read_member(a.get(), where, kMaxControlTar), where, control_, md5sums_);
      have_control = true;
    } else if (index == 2) {
      if (!has_suffix_in(name, "data.tar", {"", ".gz", ".xz", ".zst", ".bz2", ".lzma"}))
        throw Error(path + ": third member is '" + name +
                    "', expected data.tar[.gz|.xz|.zst|.bz2|.lzma]");
      data_member_ = name;
      data_size_ = static_cast<uint64_t>(size);
    } else if (!name.starts_with("_")) {
      // dpkg allows only underscore-prefixed extras after data.tar.
      throw Error(path + ": unexpected member '" + name + "' after " + data_member_);
    }
  }
  if (!have_control) throw Error(path + ": not a Debian package: control.tar member missing");
  if (data_member_.empty()) throw Error(path + ": not a Debian package: data.tar member missing");
}

std::unique_ptr<ByteSource> DebFile::open_data() const {
  ArchiveReadPtr a = open_ar(path_);
  archive_entry* e;
  for (;;) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) throw Error(path_ + ": " + err(a.get()));
    const char* n = archive_entry_pathname(e);
    if (!n || data_member_ != n) continue;
    std::string where = path_ + ": " + data_member_;
    auto raw = std::make_unique<DataSource>(std::move(a), where);
    if (data_member_.ends_with(".xz") && data_size_ >= kThreadedXzMember)
      return make_xz_decoder(std::move(raw), where);
    return raw;
  }
  throw Error(path_ + ": data member " + data_member_ + " disappeared");
}

}  // namespace distill::debian
