#include "archive/compress.h"

#include <zlib.h>
#include <zstd.h>

#include <cstring>
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

std::string compressor_identity(Compression c, int level) {
  switch (c) {
    case Compression::kGzip:
      return "gzip/zlib-" + std::string(zlibVersion()) + "/" +
             std::to_string(level < 0 ? 6 : level);
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

class GzipSink : public ByteSink {
 public:
  GzipSink(ByteSink& next, int level) : next_(next), out_(kChunk) {
    std::memset(&zs_, 0, sizeof zs_);
    // windowBits 15+16 selects a gzip wrapper with a zeroed header.
    if (deflateInit2(&zs_, level < 0 ? 6 : level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      throw Error("zlib: cannot initialise gzip compressor");
    }
  }
  ~GzipSink() override { deflateEnd(&zs_); }
  void write(const void* d, size_t n) override {
    zs_.next_in = static_cast<Bytef*>(const_cast<void*>(d));
    zs_.avail_in = static_cast<uInt>(n);
    pump(Z_NO_FLUSH);
  }
  void finish() override {
    zs_.next_in = nullptr;
    zs_.avail_in = 0;
    pump(Z_FINISH);
    next_.finish();
  }

 private:
  void pump(int flush) {
    int rc;
    do {
      zs_.next_out = out_.data();
      zs_.avail_out = static_cast<uInt>(out_.size());
      rc = deflate(&zs_, flush);
      if (rc == Z_STREAM_ERROR) throw Error("zlib: compression failed");
      size_t have = out_.size() - zs_.avail_out;
      if (have) next_.write(out_.data(), have);
    } while (zs_.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  }
  ByteSink& next_;
  z_stream zs_;
  std::vector<Bytef> out_;
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
      return std::make_unique<GzipSink>(next, level);
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
