// Compares the deflate implementations Debian 12 ships, as linked libraries,
// on real layer tars: `codec_table FILE...` compresses the concatenation of
// the files with each candidate (single thread, in memory, best of CODEC_RUNS runs, default 3)
// and prints a Markdown table of speed (MB/s of input) and size (compressed /
// input). bench/codecs.sh builds the family's layers uncompressed and runs it.
// Not a Google Benchmark: its point is one table over a whole corpus.
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<unsigned char>;
constexpr size_t kMember = 4u << 20;  // the chunk size of distill's gzip members

size_t zlib_gzip(const Bytes& in, Bytes& out, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  out.resize(deflateBound(&zs, in.size()));
  zs.next_in = const_cast<unsigned char*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  size_t n = zs.total_out;
  deflateEnd(&zs);
  return n;
}

// libdeflate compresses whole buffers; distill feeds it 4 MiB members.
size_t deflate_members(const Bytes& in, Bytes& out, int level) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(level);
  out.resize(libdeflate_gzip_compress_bound(c, kMember) * (in.size() / kMember + 1));
  size_t total = 0;
  for (size_t off = 0; off < in.size() || off == 0; off += kMember) {
    size_t n = std::min(kMember, in.size() - off);
    size_t got =
        libdeflate_gzip_compress(c, in.data() + off, n, out.data() + total, out.size() - total);
    if (got == 0) throw std::runtime_error("libdeflate_gzip_compress");
    total += got;
    if (n == 0) break;
  }
  libdeflate_free_compressor(c);
  return total;
}

size_t isal_gzip(const Bytes& in, Bytes& out, int level) {
  static const uint32_t kLevelBuf[] = {ISAL_DEF_LVL0_DEFAULT, ISAL_DEF_LVL1_DEFAULT,
                                       ISAL_DEF_LVL2_DEFAULT, ISAL_DEF_LVL3_DEFAULT};
  isal_zstream zs;
  isal_deflate_init(&zs);
  Bytes level_buf(kLevelBuf[level]);
  zs.level = static_cast<uint32_t>(level);
  zs.level_buf = level_buf.data();
  zs.level_buf_size = static_cast<uint32_t>(level_buf.size());
  zs.gzip_flag = IGZIP_GZIP_NO_HDR;
  out.resize(in.size() + in.size() / 8 + 65536);
  isal_gzip_header hdr;
  isal_gzip_header_init(&hdr);
  zs.next_out = out.data();
  zs.avail_out = static_cast<uint32_t>(out.size());
  isal_write_gzip_header(&zs, &hdr);
  zs.next_in = const_cast<unsigned char*>(in.data());
  zs.avail_in = static_cast<uint32_t>(in.size());
  zs.end_of_stream = 1;
  zs.flush = NO_FLUSH;
  if (isal_deflate(&zs) != COMP_OK || zs.internal_state.state != ZSTATE_END)
    throw std::runtime_error("isal_deflate");
  return zs.total_out + (out.size() - zs.total_out - zs.avail_out);
}

size_t zstd_frame(const Bytes& in, Bytes& out, int level) {
  out.resize(ZSTD_compressBound(in.size()));
  size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), level);
  if (ZSTD_isError(n)) throw std::runtime_error("ZSTD_compress");
  return n;
}

struct Candidate {
  std::string name;
  std::function<size_t(const Bytes&, Bytes&)> run;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: codec_table FILE...\n");
    return 2;
  }
  Bytes in;
  for (int i = 1; i < argc; ++i) {
    std::ifstream f(argv[i], std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "codec_table: cannot read %s\n", argv[i]);
      return 1;
    }
    in.insert(in.end(), std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  std::string zlib_v = zlibVersion();
  std::vector<Candidate> cands = {
      {"zlib " + zlib_v + " -6 (today)", [](auto& i, auto& o) { return zlib_gzip(i, o, 6); }},
      {"zlib " + zlib_v + " -1", [](auto& i, auto& o) { return zlib_gzip(i, o, 1); }},
      {"libdeflate " LIBDEFLATE_VERSION_STRING " -6, 4 MiB members",
       [](auto& i, auto& o) { return deflate_members(i, o, 6); }},
      {"libdeflate " LIBDEFLATE_VERSION_STRING " -1, 4 MiB members",
       [](auto& i, auto& o) { return deflate_members(i, o, 1); }},
      {"libdeflate " LIBDEFLATE_VERSION_STRING " -9, 4 MiB members",
       [](auto& i, auto& o) { return deflate_members(i, o, 9); }},
      {"ISA-L igzip -1", [](auto& i, auto& o) { return isal_gzip(i, o, 1); }},
      {"ISA-L igzip -3", [](auto& i, auto& o) { return isal_gzip(i, o, 3); }},
      {"zstd " + std::string(ZSTD_versionString()) + " -3 (not gzip)",
       [](auto& i, auto& o) { return zstd_frame(i, o, 3); }},
  };
  const char* runs_env = std::getenv("CODEC_RUNS");
  int runs = runs_env ? std::max(1, std::atoi(runs_env)) : 3;
  std::printf("Input: %d files, %.1f MB (one thread, best of %d)\n\n", argc - 1, in.size() / 1e6,
              runs);
  std::printf("| compressor | MB/s | size / input | size vs zlib -6 |\n|---|---|---|---|\n");
  Bytes out;
  double base = 0;
  for (const Candidate& c : cands) {
    double best = 1e30;
    size_t size = 0;
    for (int r = 0; r < runs; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      size = c.run(in, out);
      best = std::min(best,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    if (base == 0) base = static_cast<double>(size);
    std::printf("| %s | %.0f | %.3f | %+.1f%% |\n", c.name.c_str(), in.size() / 1e6 / best,
                static_cast<double>(size) / static_cast<double>(in.size()),
                (static_cast<double>(size) / base - 1) * 100);
  }
  return 0;
}
