#include "archive/compress.h"

#include <libdeflate.h>
#include <sys/mman.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "util/cores.h"
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
  PassSink(ByteSink& next, ByteSink* tap) : next_(next), tap_(tap) {}
  void write(const void* d, size_t n) override {
    if (tap_) tap_->write(d, n);
    next_.write(d, n);
  }
  void finish() override { next_.finish(); }

 private:
  ByteSink& next_;
  ByteSink* tap_;
};

struct DeflateCompressorFree {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
using DeflateCompressor = std::unique_ptr<libdeflate_compressor, DeflateCompressorFree>;

// The bound of any member's output: libdeflate's bound depends on the input
// size only (never on the level), and no member is larger than kGzipMember.
size_t member_bound() {
  static const size_t bound = libdeflate_gzip_compress_bound(nullptr, kGzipMember);
  return bound;
}

constexpr size_t kHugePage = 2u << 20;

// A member's input (kGzipMember bytes) or output (member_bound() bytes),
// never zero-filled: only the bytes written are read. Memory from new[] is
// a fresh mapping of 4 KiB pages (main.cpp's mmap threshold), each faulting
// in when first written; huge() asks the kernel for 2 MiB pages instead, so
// a full 4 MiB input takes two faults, not 1,024, where transparent huge
// pages are on (`madvise` or `always`). Measured on java21: its 48 inputs were
// a third of the build's 148k page faults, and most of its 0.6 s of system
// time went to faults.
class Buffer {
 public:
  Buffer() = default;
  static Buffer heap(size_t capacity) {
    Buffer b;
    b.heap_.reset(new char[capacity]);
    b.data_ = b.heap_.get();
    return b;
  }
  // Falls back to heap() when the mapping cannot be made.
  static Buffer huge(size_t capacity) {
    size_t len = (capacity + kHugePage - 1) / kHugePage * kHugePage;
    void* p = ::mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    if (p == MAP_FAILED) return heap(capacity);
    // Keep the 2 MiB-aligned part: only aligned ranges get huge pages.
    auto base = reinterpret_cast<uintptr_t>(p);
    uintptr_t start = (base + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
    if (start > base) ::munmap(p, start - base);
    if (size_t tail = base + len + kHugePage - (start + len); tail > 0)
      ::munmap(reinterpret_cast<void*>(start + len), tail);
    ::madvise(reinterpret_cast<void*>(start), len, MADV_HUGEPAGE);  // a hint: failure is fine
    Buffer b;
    b.data_ = reinterpret_cast<char*>(start);
    b.mapped_ = len;
    return b;
  }
  Buffer(Buffer&& o) noexcept { *this = std::move(o); }
  Buffer& operator=(Buffer&& o) noexcept {
    if (this != &o) {
      release();
      heap_ = std::move(o.heap_);
      data_ = std::exchange(o.data_, nullptr);
      mapped_ = std::exchange(o.mapped_, 0);
      size = std::exchange(o.size, 0);
    }
    return *this;
  }
  ~Buffer() { release(); }
  char* data() const { return data_; }
  explicit operator bool() const { return data_ != nullptr; }

  size_t size = 0;  // bytes in use

 private:
  void release() {
    if (mapped_) ::munmap(data_, mapped_);
    mapped_ = 0;
    data_ = nullptr;
  }
  std::unique_ptr<char[]> heap_;
  char* data_ = nullptr;
  size_t mapped_ = 0;  // length of the mapping at data_, 0 for heap memory
};

// A layer's members from this one on reuse their buffers: a layer this big
// is a stream of members, so a buffer handed back is soon taken again and
// the kernel neither maps nor zeroes a new one (java21, 48 members in its
// JRE layer: 81k page faults down to 67k, about 0.1 s of wall time).
// Smaller layers (cc's largest, libc6, has four) free them: a buffer idle in
// a pool while the next fills raised cc's peak memory by 3 MB.
constexpr size_t kPooledFromMember = 4;

// What one layer's members reuse: its idle compressors (each is a few
// hundred KiB of tables set up anew otherwise; libdeflate's are not
// thread-safe, so one per member in flight) and, past kPooledFromMember,
// up to kMaxIdle idle buffers of each kind. A buffer comes back only after
// it was in use, and no more are in use at once than members in flight plus
// the one filling, so keeping them raises no peak; freeing all but one had
// the kernel zero a new 4 MiB whenever two members finished together. It
// lives as long as its layer's sink, so nothing stays allocated after a
// layer.
class MemberPool {
 public:
  static constexpr size_t kMaxIdle = kMaxGzipThreads + 1;
  DeflateCompressor take_compressor(int level) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!compressors_.empty()) {
        DeflateCompressor c = std::move(compressors_.back());
        compressors_.pop_back();
        return c;
      }
    }
    DeflateCompressor c(libdeflate_alloc_compressor(level));
    if (!c)
      throw Error("libdeflate: cannot create a level " + std::to_string(level) + " compressor");
    return c;
  }
  void give_compressor(DeflateCompressor c) {
    std::lock_guard<std::mutex> lock(mu_);
    compressors_.push_back(std::move(c));
  }
  // An idle buffer, or null.
  Buffer take_input() { return take(input_); }
  Buffer take_output() { return take(output_); }
  // Keeps `b` if no buffer of its kind is idle (else it is freed).
  void give_input(Buffer b) { give(input_, std::move(b)); }
  void give_output(Buffer b) { give(output_, std::move(b)); }

 private:
  Buffer take(std::vector<Buffer>& idle) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle.empty()) return Buffer();
    Buffer b = std::move(idle.back());
    idle.pop_back();
    b.size = 0;
    return b;
  }
  void give(std::vector<Buffer>& idle, Buffer b) {
    std::lock_guard<std::mutex> lock(mu_);
    if (b && idle.size() < kMaxIdle) idle.push_back(std::move(b));
  }
  std::mutex mu_;
  std::vector<DeflateCompressor> compressors_;
  std::vector<Buffer> input_, output_;
};

// One complete gzip member (header with no name and mtime 0, CRC, size) of
// `in`, with a compressor of `pool`. The output stays on 4 KiB pages: it is
// resident only as far as it is written, which huge pages would round up
// (measured: 2-3 MB more peak memory for cc). `pooled`: from pool's idle
// output when it has one.
Buffer gzip_member(const char* in, size_t n, int level, MemberPool& pool, bool pooled) {
  DeflateCompressor c = pool.take_compressor(level);
  Buffer out = pooled ? pool.take_output() : Buffer();
  if (!out) out = Buffer::heap(member_bound());
  out.size = libdeflate_gzip_compress(c.get(), in, n, out.data(), member_bound());
  pool.give_compressor(std::move(c));
  if (out.size == 0) throw Error("libdeflate: gzip compression failed");
  return out;
}

// Gzip as independent members of kGzipMember input bytes each, compressed by
// libdeflate (whole-buffer) on up to one thread per core. Members are cut at
// fixed input offsets and each is compressed alone, so the bytes depend on
// the input and level only, never on the number of threads or how write()
// is called; at most threads_ members are in flight per layer.
//
// A member's thread also hands its input to the tap (before compressing it)
// and its output to `next`, each in member order (each member waits for the
// one before; a member's input is freed once compressed): the thread that
// fills members (a big layer's, decoding its .deb, the build's longest
// chain of work) does nothing but fill them, and the hashing and writing
// run beside it on the other cores.
class GzipMembersSink : public ByteSink {
 public:
  GzipMembersSink(ByteSink& next, ByteSink* tap, int level)
      : next_(next),
        tap_(tap),
        level_(level < 0 ? kGzipDefaultLevel : level),
        threads_(worker_count()) {}
  ~GzipMembersSink() override {
    // Wait for workers before their buffers go (futures of std::async block).
    for (auto& p : pending_) {
      if (p.valid()) p.wait();
    }
  }
  void write(const void* d, size_t n) override {
    const char* p = static_cast<const char*>(d);
    while (n > 0) {
      // A layer's first member on 4 KiB pages, resident only as far as it
      // fills (most layers are one small member); the later ones are big
      // layers' full 4 MiB, reused in the biggest layers.
      if (!buf_ && pooled()) buf_ = pool_.take_input();
      if (!buf_) buf_ = submitted_ > 0 ? Buffer::huge(kGzipMember) : Buffer::heap(kGzipMember);
      size_t take = std::min(n, kGzipMember - buf_.size);
      std::memcpy(buf_.data() + buf_.size, p, take);
      buf_.size += take;
      p += take;
      n -= take;
      if (buf_.size == kGzipMember) submit();
    }
  }
  void finish() override {
    // An empty input is still one (empty) member, as gzip writes.
    if ((buf_ && buf_.size > 0) || (pending_.empty() && submitted_ == 0)) {
      if (pending_.empty() && submitted_ == 0) {
        // Small layers: no thread at all.
        const char* in = buf_ ? buf_.data() : "";
        Buffer out = gzip_member(in, buf_.size, level_, pool_, false);
        if (tap_) tap_->write(in, buf_.size);
        next_.write(out.data(), out.size);
      } else {
        submit();
      }
    }
    while (!pending_.empty()) drain_one();
    next_.finish();
  }

 private:
  static unsigned worker_count() { return std::clamp(usable_cores(), 1u, kMaxGzipThreads); }
  // Whether the member being filled (submitted_ before it) reuses buffers.
  bool pooled() const { return submitted_ >= kPooledFromMember; }
  void submit() {
    if (pending_.size() >= threads_ ||
        (!pending_.empty() && g_members_in_flight.load() >= threads_))
      drain_one();
    Buffer in = std::move(buf_);
    buf_ = Buffer();
    bool pooled = this->pooled();
    size_t seq = submitted_++;
    ++g_members_in_flight;
    auto job = [this, in = std::move(in), seq, pooled]() mutable {
      struct Done {
        ~Done() { --g_members_in_flight; }
      } done;
      std::exception_ptr failed;
      // The tap first, in member order: hashing 4 MiB is quick beside
      // compressing it, so a member seldom waits here, and its input can go
      // as soon as it is compressed instead of waiting for its turn to write.
      bool go = await_turn(tapped_, seq);
      if (go && tap_) {
        try {
          tap_->write(in.data(), in.size);
        } catch (...) {
          failed = std::current_exception();
        }
      }
      pass_turn(tapped_, failed != nullptr);
      Buffer out;
      if (go && !failed) {
        try {
          out = gzip_member(in.data(), in.size, level_, pool_, pooled);
        } catch (...) {
          failed = std::current_exception();
        }
      }
      if (pooled) pool_.give_input(std::move(in));
      in = Buffer();
      go = await_turn(written_, seq);
      if (go && !failed) {
        try {
          next_.write(out.data(), out.size);
        } catch (...) {
          failed = std::current_exception();
        }
      }
      pass_turn(written_, failed != nullptr);
      if (pooled) pool_.give_output(std::move(out));
      if (failed) std::rethrow_exception(failed);
    };
    pending_.push_back(std::async(std::launch::async, std::move(job)));
  }
  // Waits until every member before `seq` has passed `turn`; false when a
  // member has failed (this one then hands nothing on, but still passes).
  bool await_turn(size_t& turn, size_t seq) {
    std::unique_lock<std::mutex> lock(order_mu_);
    order_cv_.wait(lock, [&] { return turn == seq; });
    return !failed_;
  }
  void pass_turn(size_t& turn, bool failed) {
    {
      std::lock_guard<std::mutex> lock(order_mu_);
      if (failed) failed_ = true;  // the later members hand nothing on
      ++turn;
    }
    order_cv_.notify_all();
  }
  void drain_one() {
    std::future<void> p = std::move(pending_.front());
    pending_.pop_front();
    p.get();
  }
  ByteSink& next_;
  ByteSink* tap_;
  int level_;
  unsigned threads_;
  // Declared before the futures whose members use them.
  MemberPool pool_;
  std::mutex order_mu_;
  std::condition_variable order_cv_;
  size_t tapped_ = 0;    // the member whose input goes to the tap next
  size_t written_ = 0;   // the member whose output goes out next
  bool failed_ = false;  // a member failed: nothing more is handed on
  Buffer buf_;
  size_t submitted_ = 0;  // members handed to a thread
  std::deque<std::future<void>> pending_;
};

class ZstdSink : public ByteSink {
 public:
  ZstdSink(ByteSink& next, ByteSink* tap, int level)
      : next_(next), tap_(tap), cctx_(ZSTD_createCCtx()), out_(kChunk) {
    if (!cctx_) throw Error("zstd: cannot create compressor");
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level < 0 ? 3 : level);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
  }
  ~ZstdSink() override { ZSTD_freeCCtx(cctx_); }
  void write(const void* d, size_t n) override {
    if (tap_) tap_->write(d, n);
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
  ByteSink* tap_;
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

std::unique_ptr<ByteSink> make_compressor(Compression c, ByteSink& next, int level, ByteSink* tap) {
  switch (c) {
    case Compression::kGzip:
      return std::make_unique<GzipMembersSink>(next, tap, level);
    case Compression::kZstd:
      return std::make_unique<ZstdSink>(next, tap, level);
    case Compression::kNone:
      break;
  }
  return std::make_unique<PassSink>(next, tap);
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
