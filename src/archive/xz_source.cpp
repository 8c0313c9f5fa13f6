#include "archive/xz_source.h"

#include <lzma.h>

#include <vector>

#include "util/cores.h"
#include "util/error.h"

namespace distill {

namespace {

// Two decoding threads hold about two 24 MiB blocks in and out each; more
// than this and liblzma decodes on one thread instead (memlimit_threading).
constexpr uint64_t kXzThreadingMemory = 160ull << 20;
// Beyond this a stream is refused, not decoded slowly (no real .deb needs it).
constexpr uint64_t kXzMemoryStop = 1ull << 30;
constexpr size_t kXzInChunk = 1 << 16;

const char* xz_error_text(lzma_ret rc) {
  switch (rc) {
    case LZMA_MEM_ERROR:
      return "out of memory";
    case LZMA_MEMLIMIT_ERROR:
      return "needs more than 1 GiB of memory to decode";
    case LZMA_FORMAT_ERROR:
      return "not xz data";
    case LZMA_OPTIONS_ERROR:
      return "unsupported xz options";
    case LZMA_DATA_ERROR:
      return "xz data is corrupt";
    case LZMA_BUF_ERROR:
      return "xz data is truncated";
    default:
      return "xz decoding failed";
  }
}

class XzSource : public ByteSource {
 public:
  XzSource(std::unique_ptr<ByteSource> in, std::string where, uint32_t threads)
      : in_(std::move(in)), where_(std::move(where)), buf_(kXzInChunk) {
    if (threads == 0) threads = xz_threads_for(usable_cores());
    lzma_ret rc;
    if (threads == 1) {
      rc = lzma_stream_decoder(&zs_, kXzMemoryStop, LZMA_CONCATENATED);
    } else {
      lzma_mt mt{};
      mt.flags = LZMA_CONCATENATED;
      mt.threads = threads;
      mt.memlimit_threading = kXzThreadingMemory;
      mt.memlimit_stop = kXzMemoryStop;
      rc = lzma_stream_decoder_mt(&zs_, &mt);
    }
    if (rc != LZMA_OK) throw Error(where_ + ": " + xz_error_text(rc));
  }
  ~XzSource() override { lzma_end(&zs_); }
  XzSource(const XzSource&) = delete;
  XzSource& operator=(const XzSource&) = delete;

  size_t read(void* dst, size_t size) override {
    if (done_ || size == 0) return 0;
    zs_.next_out = static_cast<uint8_t*>(dst);
    zs_.avail_out = size;
    while (zs_.avail_out == size) {
      lzma_action action = LZMA_RUN;
      if (zs_.avail_in == 0 && !eof_) {
        size_t n = in_->read(buf_.data(), buf_.size());
        if (n == 0) eof_ = true;
        zs_.next_in = buf_.data();
        zs_.avail_in = n;
      }
      if (eof_) action = LZMA_FINISH;
      lzma_ret rc = lzma_code(&zs_, action);
      if (rc == LZMA_STREAM_END) {
        done_ = true;
        break;
      }
      if (rc != LZMA_OK) throw Error(where_ + ": " + xz_error_text(rc));
    }
    return size - zs_.avail_out;
  }

 private:
  std::unique_ptr<ByteSource> in_;
  std::string where_;
  std::vector<uint8_t> buf_;
  lzma_stream zs_ = LZMA_STREAM_INIT;
  bool eof_ = false;
  bool done_ = false;
};

}  // namespace

uint32_t xz_threads_for(unsigned cores) {
  // Measured on java21 (two cores; its JRE is a 42 MB data.tar.xz of nine
  // blocks), layers built from cached .debs: with the threaded decoder the
  // build took 5.2 s of CPU and 163 MB of peak memory, with one thread
  // 4.9 s and 52 MB, in the same wall time (2.6-2.7 s). The threaded decoder
  // holds whole blocks in and out in buffers of its own and copies the
  // output once more. On two cores the other core is busy anyway while a
  // big layer decodes (its members compress there, the other layers build),
  // so threads only add work; with more cores they shorten the longest
  // chain.
  return cores <= 2 ? 1 : cores;
}

std::unique_ptr<ByteSource> make_xz_decoder(std::unique_ptr<ByteSource> in, std::string where,
                                            uint32_t threads) {
  return std::make_unique<XzSource>(std::move(in), std::move(where), threads);
}

}  // namespace distill
