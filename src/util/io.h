// Byte streams. Layers, blobs and .deb members are moved as streams so that
// nothing is staged in a temporary tree and memory does not grow with size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace distill {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes; returns 0 only at end of stream. Throws on error.
  virtual size_t read(void* buf, size_t size) = 0;
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const void* data, size_t size) = 0;
  // Flushes buffered state (e.g. a compressor's trailer). Called once.
  virtual void finish() {}
};

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

class FileSource : public ByteSource {
 public:
  explicit FileSource(const std::string& path);
  size_t read(void* buf, size_t size) override;
  uint64_t size() const { return size_; }
  // Positions the next read at `offset` bytes from the start.
  void seek(uint64_t offset);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  Fd fd_;
  uint64_t size_ = 0;
};

class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  size_t read(void* buf, size_t size) override;

 private:
  std::string data_;
  size_t pos_ = 0;
};

// Writes to a file created with O_EXCL; fsyncs on finish(), having started
// the writeback of every 8 MiB as it went.
class FileSink : public ByteSink {
 public:
  explicit FileSink(const std::string& path);
  void write(const void* data, size_t size) override;
  void finish() override;
  uint64_t written() const { return written_; }

 private:
  std::string path_;
  Fd fd_;
  uint64_t written_ = 0;
  uint64_t flushing_ = 0;  // bytes before this offset are being written back
};

class StringSink : public ByteSink {
 public:
  void write(const void* data, size_t size) override {
    data_.append(static_cast<const char*>(data), size);
  }
  std::string& data() { return data_; }

 private:
  std::string data_;
};

// Passes bytes on while counting them and hashing them with SHA-256.
class DigestSink : public ByteSink {
 public:
  explicit DigestSink(ByteSink* next = nullptr);
  ~DigestSink() override;
  void write(const void* data, size_t size) override;
  void finish() override;
  uint64_t size() const { return size_; }
  std::string digest();  // "sha256:<hex>", after finish()

 private:
  ByteSink* next_;
  struct State;
  std::unique_ptr<State> state_;
  uint64_t size_ = 0;
};

// Copies all of `in` to `out` (does not call out.finish()). Returns bytes copied.
uint64_t copy_stream(ByteSource& in, ByteSink& out);
std::string read_all(ByteSource& in);

}  // namespace distill
