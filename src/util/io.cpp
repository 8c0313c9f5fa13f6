#include "util/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "util/error.h"
#include "util/sha256.h"

namespace distill {

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

FileSource::FileSource(const std::string& path) : path_(path) {
  fd_ = Fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd_) throw_errno("cannot open", path);
  struct stat st;
  if (::fstat(fd_.get(), &st) != 0) throw_errno("cannot stat", path);
  if (S_ISDIR(st.st_mode)) throw Error(path + " is a directory, expected a file");
  size_ = static_cast<uint64_t>(st.st_size);
}

size_t FileSource::read(void* buf, size_t size) {
  for (;;) {
    ssize_t n = ::read(fd_.get(), buf, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) throw_errno("cannot read", path_);
  }
}

void FileSource::seek(uint64_t offset) {
  if (::lseek(fd_.get(), static_cast<off_t>(offset), SEEK_SET) < 0)
    throw_errno("cannot seek", path_);
}

size_t StringSource::read(void* buf, size_t size) {
  size_t n = std::min(size, data_.size() - pos_);
  std::memcpy(buf, data_.data() + pos_, n);
  pos_ += n;
  return n;
}

namespace {

// A big file's writeback starts as it is written, so finish()'s fsync waits
// for the last few MiB only: java21's 66 MB JRE layer, the build's last,
// had its fsync wait 26 ms, about 1% of the build.
constexpr uint64_t kWriteBackEvery = 8u << 20;

}  // namespace

FileSink::FileSink(const std::string& path) : path_(path) {
  fd_ = Fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd_) throw_errno("cannot create", path);
}

void FileSink::write(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_.get(), p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot write", path_);
    }
    p += n;
    size -= static_cast<size_t>(n);
    written_ += static_cast<uint64_t>(n);
  }
  if (written_ - flushing_ >= kWriteBackEvery) {
    // Only a hint (the fsync in finish() is what counts), so its errors are
    // finish()'s to report.
    ::sync_file_range(fd_.get(), static_cast<off_t>(flushing_),
                      static_cast<off_t>(written_ - flushing_), SYNC_FILE_RANGE_WRITE);
    flushing_ = written_;
  }
}

void FileSink::finish() {
  if (::fsync(fd_.get()) != 0 && errno != EINVAL) throw_errno("cannot sync", path_);
  if (::close(fd_.release()) != 0) throw_errno("cannot close", path_);
}

struct DigestSink::State {
  Sha256 hash;
  std::string digest;
};

DigestSink::DigestSink(ByteSink* next) : next_(next), state_(std::make_unique<State>()) {}
DigestSink::~DigestSink() = default;

void DigestSink::write(const void* data, size_t size) {
  state_->hash.update(data, size);
  size_ += size;
  if (next_) next_->write(data, size);
}

void DigestSink::finish() {
  state_->digest = state_->hash.digest();
  if (next_) next_->finish();
}

std::string DigestSink::digest() {
  if (state_->digest.empty()) state_->digest = state_->hash.digest();
  return state_->digest;
}

uint64_t copy_stream(ByteSource& in, ByteSink& out) {
  std::vector<char> buf(1 << 17);
  uint64_t total = 0;
  for (size_t n; (n = in.read(buf.data(), buf.size())) > 0;) {
    out.write(buf.data(), n);
    total += n;
  }
  return total;
}

std::string read_all(ByteSource& in) {
  StringSink s;
  copy_stream(in, s);
  return std::move(s.data());
}

}  // namespace distill
