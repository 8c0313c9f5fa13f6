#include "archive/compress.h"

#include <libdeflate.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "util/error.h"

namespace distill {

Compression parse_compression(const std::string& name) {
  if (name == "gzip" || name == "gz") return Compression::kGzip;
  if (name == "zstd" || name == "zst") return Compression::kZstd;
  if (name == "none" || name == "uncompressed") return Compression::kNone;
  throw Error("unknown compression '" + name + "' (expected gzip, zstd or none)");
}

std::string compression_name(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kNone:
      break;
  }
  return "none";
}

namespace {

// Gzip layers are independent members of this many input bytes each (the
// last one shorter). Part of the bytes, so part of compressor_identity.
constexpr size_t kGzipMember = 4u << 20;
constexpr int kGzipDefaultLevel = 6;
// Members compressed at once per layer, and so the threads one layer uses;
// with one member buffered this bounds a layer's memory to about
// (kMaxGzipThreads + 1) * 4 MiB in plus kMaxGzipThreads * 4 MiB out.
constexpr unsigned kMaxGzipThreads = 4;

// Members being compressed by all layers of this process. A layer starts a
// second (third...) member only while this is below the core count, so two
// layers built side by side hold one member each instead of two (peak
// memory), and the last big layer still gets every core. Only scheduling:
// the bytes never depend on it.
std::atomic<unsigned> g_members_in_flight{0};

}  // namespace

std::string compressor_identity(Compression c, int level) {
  switch (c) {
    case Compression::kGzip:
      // The header's version is the library's: distill links libdeflate
      // statically when the static library is there (CMakeLists.txt).
      return "gzip/libdeflate-" LIBDEFLATE_VERSION_STRING "/" +
             std::to_string(level < 0 ? kGzipDefaultLevel : level) + "/members-" +
             std::to_string(kGzipMember >> 20) + "MiB";
    case Compression::kZstd:
      return "zstd/zstd-" + std::string(ZSTD_versionString()) + "/" +
             std::to_string(level < 0 ? 3 : level);
    case Compression::kNone:
      break;
  }
  return "none";
}

namespace {

constexpr size_t kChunk = 1 << 17;

class PassSink : public ByteSink {
 public:
  explicit PassSink(ByteSink& next) : next_(next) {}
  void write(const void* d, size_t n) override { next_.write(d, n); }
  void finish() override { next_.finish(); }

 private:
  ByteSink& next_;
};

struct DeflateCompressorFree {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// One complete gzip member (header with no name and mtime 0, CRC, size).
std::string gzip_member(const std::string& in, int level) {
  std::unique_ptr<libdeflate_compressor, DeflateCompressorFree> c(
      libdeflate_alloc_compressor(level));
  if (!c) throw Error("libdeflate: cannot create a level " + std::to_string(level) + " compressor");
  // Uninitialised: only the pages libdeflate writes (the compressed size,
  // not the bound) become resident.
  size_t bound = libdeflate_gzip_compress_bound(c.get(), in.size());
  std::unique_ptr<char[]> out(new char[bound]);
  size_t n = libdeflate_gzip_compress(c.get(), in.data(), in.size(), out.get(), bound);
  if (n == 0) throw Error("libdeflate: gzip compression failed");
  return std::string(out.get(), n);
}

// Gzip as independent members of kGzipMember input bytes each, compressed by
// libdeflate (whole-buffer) on up to one thread per core. Members are cut at
// fixed input offsets and each is compressed alone, so the bytes depend on
// the input and level only, never on the number of threads or how write()
// is called; at most kMaxInFlight members are held at once.
class GzipMembersSink : public ByteSink {
 public:
  GzipMembersSink(ByteSink& next, int level)
      : next_(next), level_(level < 0 ? kGzipDefaultLevel : level), threads_(worker_count()) {
    buf_.reserve(kGzipMember);
  }
  ~GzipMembersSink() override {
    // Wait for workers before their buffers go (futures of std::async block).
    for (auto& f : pending_) {
      if (f.valid()) f.wait();
    }
  }
  void write(const void* d, size_t n) override {
    const char* p = static_cast<const char*>(d);
    while (n > 0) {
      size_t take = std::min(n, kGzipMember - buf_.size());
      buf_.append(p, take);
      p += take;
      n -= take;
      if (buf_.size() == kGzipMember) submit();
    }
  }
  void finish() override {
    // An empty input is still one (empty) member, as gzip writes.
    if (!buf_.empty() || (pending_.empty() && !wrote_)) {
      if (pending_.empty()) {
        emit(gzip_member(buf_, level_));  // small layers: no thread at all
        buf_.clear();
      } else {
        submit();
      }
    }
    while (!pending_.empty()) drain_one();
    next_.finish();
  }

 private:
  static unsigned worker_count() {
    unsigned n = std::thread::hardware_concurrency();
    return std::clamp(n, 1u, kMaxGzipThreads);
  }
  void submit() {
    if (pending_.size() >= threads_ ||
        (!pending_.empty() && g_members_in_flight.load() >= threads_))
      drain_one();
    std::string in = std::move(buf_);
    buf_ = std::string();
    buf_.reserve(kGzipMember);
    int level = level_;
    ++g_members_in_flight;
    pending_.push_back(std::async(std::launch::async, [in = std::move(in), level]() mutable {
      struct Done {
        ~Done() { --g_members_in_flight; }
      } done;
      // A finished member waits in its future until written out: keep only
      // its compressed bytes, not the 4 MiB input.
      std::string out = gzip_member(in, level);
      std::string().swap(in);
      return out;
    }));
  }
  void drain_one() {
    std::future<std::string> f = std::move(pending_.front());
    pending_.pop_front();
    emit(f.get());
  }
  void emit(const std::string& member) {
    next_.write(member.data(), member.size());
    wrote_ = true;
  }
  ByteSink& next_;
  int level_;
  unsigned threads_;
  std::string buf_;
  std::deque<std::future<std::string>> pending_;
  bool wrote_ = false;
};

class ZstdSink : public ByteSink {
 public:
  ZstdSink(ByteSink& next, int level) : next_(next), cctx_(ZSTD_createCCtx()), out_(kChunk) {
    if (!cctx_) throw Error("zstd: cannot create compressor");
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level < 0 ? 3 : level);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
  }
  ~ZstdSink() override { ZSTD_freeCCtx(cctx_); }
  void write(const void* d, size_t n) override {
    ZSTD_inBuffer in{d, n, 0};
    while (in.pos < in.size) step(in, ZSTD_e_continue);
  }
  void finish() override {
    ZSTD_inBuffer in{nullptr, 0, 0};
    while (step(in, ZSTD_e_end) != 0) {
    }
    next_.finish();
  }

 private:
  size_t step(ZSTD_inBuffer& in, ZSTD_EndDirective mode) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    size_t rc = ZSTD_compressStream2(cctx_, &out, &in, mode);
    if (ZSTD_isError(rc)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(rc));
    if (out.pos) next_.write(out_.data(), out.pos);
    return rc;
  }
  ByteSink& next_;
  ZSTD_CCtx* cctx_;
  std::vector<char> out_;
};

class GzipSource : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> in) : in_(std::move(in)), buf_(kChunk) {
    std::memset(&zs_, 0, sizeof zs_);
    if (inflateInit2(&zs_, 15 + 32) != Z_OK) throw Error("zlib: cannot initialise decompressor");
  }
  ~GzipSource() override { inflateEnd(&zs_); }
  size_t read(void* dst, size_t size) override {
    zs_.next_out = static_cast<Bytef*>(dst);
    zs_.avail_out = static_cast<uInt>(size);
    while (zs_.avail_out == size && !done_) {
      if (zs_.avail_in == 0) {
        size_t n = in_->read(buf_.data(), buf_.size());
        if (n == 0) {
          if (!in_stream_) {
            done_ = true;
            break;
          }
          throw Error("gzip data is truncated");
        }
        zs_.next_in = buf_.data();
        zs_.avail_in = static_cast<uInt>(n);
      }
      in_stream_ = true;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        // Concatenated gzip members are one stream (RFC 1952 section 2.2).
        in_stream_ = false;
        inflateReset(&zs_);
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        throw Error(std::string("gzip data is corrupt: ") + (zs_.msg ? zs_.msg : "inflate failed"));
      }
    }
    return size - zs_.avail_out;
  }

 private:
  std::unique_ptr<ByteSource> in_;
  std::vector<Bytef> buf_;
  z_stream zs_;
  bool in_stream_ = false;
  bool done_ = false;
};

class ZstdSource : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<ByteSource> in)
      : in_(std::move(in)), dctx_(ZSTD_createDCtx()), buf_(kChunk) {
    if (!dctx_) throw Error("zstd: cannot create decompressor");
  }
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }
  size_t read(void* dst, size_t size) override {
    ZSTD_outBuffer out{dst, size, 0};
    while (out.pos == 0) {
      if (in_buf_.pos == in_buf_.size) {
        size_t n = in_->read(buf_.data(), buf_.size());
        if (n == 0) {
          if (pending_) throw Error("zstd data is truncated");
          return 0;
        }
        in_buf_ = {buf_.data(), n, 0};
      }
      size_t rc = ZSTD_decompressStream(dctx_, &out, &in_buf_);
      if (ZSTD_isError(rc))
        throw Error(std::string("zstd data is corrupt: ") + ZSTD_getErrorName(rc));
      pending_ = rc != 0;
    }
    return out.pos;
  }

 private:
  std::unique_ptr<ByteSource> in_;
  ZSTD_DCtx* dctx_;
  std::vector<char> buf_;
  ZSTD_inBuffer in_buf_{nullptr, 0, 0};
  bool pending_ = false;
};

// Replays already-read bytes before the rest of a stream.
class PrefixSource : public ByteSource {
 public:
  PrefixSource(std::string prefix, std::unique_ptr<ByteSource> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  size_t read(void* dst, size_t size) override {
    if (pos_ < prefix_.size()) {
      size_t n = std::min(size, prefix_.size() - pos_);
      std::memcpy(dst, prefix_.data() + pos_, n);
      pos_ += n;
      return n;
    }
    return rest_->read(dst, size);
  }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<ByteSource> rest_;
};

}  // namespace

std::unique_ptr<ByteSink> make_compressor(Compression c, ByteSink& next, int level) {
  switch (c) {
    case Compression::kGzip:
      return std::make_unique<GzipMembersSink>(next, level);
    case Compression::kZstd:
      return std::make_unique<ZstdSink>(next, level);
    case Compression::kNone:
      break;
  }
  return std::make_unique<PassSink>(next);
}

std::unique_ptr<ByteSource> make_decompressor(Compression c, std::unique_ptr<ByteSource> in) {
  switch (c) {
    case Compression::kGzip:
      return std::make_unique<GzipSource>(std::move(in));
    case Compression::kZstd:
      return std::make_unique<ZstdSource>(std::move(in));
    case Compression::kNone:
      break;
  }
  return in;
}

std::unique_ptr<ByteSource> auto_decompress(std::unique_ptr<ByteSource> in) {
  std::string head(4, '\0');
  size_t got = 0;
  while (got < head.size()) {
    size_t n = in->read(head.data() + got, head.size() - got);
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  Compression c = Compression::kNone;
  if (got >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
      static_cast<unsigned char>(head[1]) == 0x8b) {
    c = Compression::kGzip;
  } else if (got >= 4 && head == std::string("\x28\xb5\x2f\xfd", 4)) {
    c = Compression::kZstd;
  }
  return make_decompressor(c, std::make_unique<PrefixSource>(std::move(head), std::move(in)));
}

}  // namespace distill
