#include "archive/compress.h"

#include <gtest/gtest.h>

#include <zlib.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"

namespace distill {

namespace {

// Compressible but not trivial: a few MiB that span many internal chunks.
std::string sample_data(size_t size = 3 << 20) {
  std::string s(size, '\0');
  uint32_t x = 12345;
  for (size_t i = 0; i < size; ++i) {
    x = x * 1103515245 + 12345;
    s[i] = static_cast<char>(i % 97 < 60 ? 'a' + (i % 26) : (x >> 16) & 0xff);
  }
  return s;
}

std::string compress(Compression c, const std::string& data, int level = -1) {
  StringSink out;
  auto sink = make_compressor(c, out, level);
  // Feed in uneven pieces, as the tar writer does.
  size_t pos = 0, step = 1;
  while (pos < data.size()) {
    size_t n = std::min(step, data.size() - pos);
    sink->write(data.data() + pos, n);
    pos += n;
    step = step * 3 + 7;
  }
  sink->finish();
  return out.data();
}

std::string decompress(Compression c, const std::string& data) {
  auto src = make_decompressor(c, std::make_unique<StringSource>(data));
  return read_all(*src);
}

std::string auto_decompressed(const std::string& data) {
  auto src = auto_decompress(std::make_unique<StringSource>(data));
  return read_all(*src);
}

}  // namespace

TEST(Compression, ParseAndName) {
  EXPECT_EQ(parse_compression("gzip"), Compression::kGzip);
  EXPECT_EQ(parse_compression("zstd"), Compression::kZstd);
  EXPECT_EQ(parse_compression("none"), Compression::kNone);
  EXPECT_EQ(compression_name(Compression::kZstd), "zstd");
  EXPECT_THROW(parse_compression("bzip2"), Error);
}

TEST(Compression, GzipRoundTripAndDeterminism) {
  std::string data = sample_data();
  std::string a = compress(Compression::kGzip, data);
  std::string b = compress(Compression::kGzip, data);
  EXPECT_EQ(a, b);
  EXPECT_LT(a.size(), data.size());
  EXPECT_EQ(decompress(Compression::kGzip, a), data);
  EXPECT_EQ(auto_decompressed(a), data);
}

TEST(Compression, GzipHeaderHasNoNameAndZeroMtime) {
  std::string gz = compress(Compression::kGzip, "hello");
  ASSERT_GE(gz.size(), 10u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_EQ(gz[3] & 0x08, 0) << "FNAME flag set";
  EXPECT_EQ(gz.substr(4, 4), std::string(4, '\0')) << "MTIME not zero";
}

TEST(Compression, GzipLevelMatters) {
  std::string data = sample_data(1 << 20);
  std::string fast = compress(Compression::kGzip, data, 1);
  std::string best = compress(Compression::kGzip, data, 9);
  EXPECT_NE(fast, best);
  EXPECT_EQ(decompress(Compression::kGzip, fast), data);
  EXPECT_EQ(decompress(Compression::kGzip, best), data);
  EXPECT_EQ(fast, compress(Compression::kGzip, data, 1));
}

TEST(Compression, ZstdRoundTripAndDeterminism) {
  std::string data = sample_data();
  std::string a = compress(Compression::kZstd, data);
  std::string b = compress(Compression::kZstd, data);
  EXPECT_EQ(a, b);
  EXPECT_LT(a.size(), data.size());
  EXPECT_EQ(a.substr(0, 4), std::string("\x28\xb5\x2f\xfd", 4));
  EXPECT_EQ(decompress(Compression::kZstd, a), data);
  EXPECT_EQ(auto_decompressed(a), data);
}

TEST(Compression, EmptyInput) {
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kNone}) {
    std::string z = compress(c, "");
    EXPECT_EQ(decompress(c, z), "") << compression_name(c);
    EXPECT_EQ(auto_decompressed(z), "") << compression_name(c);
  }
}

TEST(Compression, NonePassesThrough) {
  std::string data = "plain tar bytes";
  EXPECT_EQ(compress(Compression::kNone, data), data);
  EXPECT_EQ(auto_decompressed(data), data);
  EXPECT_EQ(auto_decompressed("ab"), "ab");  // shorter than the magic
}

// Independent decoders must accept what we write.
TEST(Compression, IdentityNamesImplementationVersionAndLevel) {
  std::string gz = compressor_identity(Compression::kGzip);
  // The default level is spelled out, so -1 and 6 share cache entries.
  EXPECT_EQ(gz, compressor_identity(Compression::kGzip, 6));
  EXPECT_EQ(gz.rfind("gzip/", 0), 0u) << gz;
  EXPECT_NE(gz.find('-'), std::string::npos) << gz;  // library-version
  EXPECT_NE(compressor_identity(Compression::kGzip, 1), gz);
  EXPECT_NE(compressor_identity(Compression::kZstd), gz);
  EXPECT_EQ(compressor_identity(Compression::kZstd), compressor_identity(Compression::kZstd, 3));
  EXPECT_EQ(compressor_identity(Compression::kNone), "none");
  // Same identity, same bytes; different identity, (here) different bytes.
  std::string data = sample_data(1 << 20);
  EXPECT_EQ(compress(Compression::kGzip, data, -1), compress(Compression::kGzip, data, 6));
  EXPECT_NE(compress(Compression::kGzip, data, 1), compress(Compression::kGzip, data, 6));
}

// Splits a gzip stream into its members' decompressed sizes (zlib, one at a time).
std::vector<size_t> gzip_member_sizes(const std::string& gz) {
  std::vector<size_t> sizes;
  size_t pos = 0;
  while (pos < gz.size()) {
    z_stream zs{};
    EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
    std::string out(16 << 20, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data() + pos));
    zs.avail_in = static_cast<uInt>(gz.size() - pos);
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&zs, Z_FINISH);
    EXPECT_EQ(rc, Z_STREAM_END);
    sizes.push_back(zs.total_out);
    pos += zs.total_in;
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) break;
  }
  return sizes;
}

TEST(Compression, LargeGzipIsFixedSizeMembersWhateverTheWrites) {
  // 4 MiB members: the cut is at fixed input offsets, so the way the input is
  // written (and the threads that compress it) cannot change the bytes.
  std::string data = sample_data((9 << 20) + 12345);
  std::string a = compress(Compression::kGzip, data);
  StringSink out;
  auto sink = make_compressor(Compression::kGzip, out);
  sink->write(data.data(), data.size());  // one write
  sink->finish();
  EXPECT_EQ(out.data(), a);
  EXPECT_EQ(gzip_member_sizes(a), (std::vector<size_t>{4 << 20, 4 << 20, (1 << 20) + 12345}));
  EXPECT_EQ(decompress(Compression::kGzip, a), data);
  EXPECT_NE(compressor_identity(Compression::kGzip).find("members-4MiB"), std::string::npos);
  // Exactly two members' worth: no empty trailing member.
  std::string two = compress(Compression::kGzip, data.substr(0, 8 << 20));
  EXPECT_EQ(gzip_member_sizes(two), (std::vector<size_t>{4 << 20, 4 << 20}));
}

TEST(Compression, GzipLayersSideBySideMatchOneAtATime) {
  // Two big layers at once share the process's member threads (and each
  // reuses its compressors member after member): the bytes are those of
  // each compressed alone.
  std::string x = sample_data((13 << 20) + 1), y = sample_data(21 << 20).substr(777);
  std::string alone_x = compress(Compression::kGzip, x), alone_y = compress(Compression::kGzip, y);
  std::string side_x, side_y;
  std::thread tx([&] { side_x = compress(Compression::kGzip, x); });
  std::thread ty([&] { side_y = compress(Compression::kGzip, y); });
  tx.join();
  ty.join();
  EXPECT_EQ(side_x, alone_x);
  EXPECT_EQ(side_y, alone_y);
  EXPECT_EQ(gzip_member_sizes(side_y).size(), 6u);
  EXPECT_EQ(decompress(Compression::kGzip, side_y), y);
}

// Records which threads wrote to it, to show the member threads do the
// writing; appends like StringSink.
class ThreadNotingSink : public ByteSink {
 public:
  void write(const void* d, size_t n) override {
    data.append(static_cast<const char*>(d), n);
    threads.push_back(std::this_thread::get_id());
  }
  void finish() override { ++finished; }
  std::string data;
  std::vector<std::thread::id> threads;
  int finished = 0;
};

TEST(Compression, TapSeesEveryUncompressedByteInOrder) {
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kNone}) {
    for (size_t size : {size_t{0}, size_t{1000}, size_t{(13 << 20) + 5}}) {
      SCOPED_TRACE(compression_name(c) + " " + std::to_string(size));
      std::string data = sample_data(size);
      StringSink out;
      ThreadNotingSink tap;
      auto sink = make_compressor(c, out, -1, &tap);
      sink->write(data.data(), data.size());
      sink->finish();
      EXPECT_EQ(tap.data, data);
      EXPECT_EQ(tap.finished, 0);  // the tap is the caller's to finish
      EXPECT_EQ(decompress(c, out.data()), data);
      // The tap changes nothing in the bytes.
      EXPECT_EQ(out.data(), compress(c, data));
    }
  }
}

TEST(Compression, BigGzipMembersAreHashedAndStoredOffTheCallersThread) {
  std::string data = sample_data((13 << 20) + 5);
  ThreadNotingSink out, tap;
  auto sink = make_compressor(Compression::kGzip, out, -1, &tap);
  sink->write(data.data(), data.size());
  sink->finish();
  ASSERT_EQ(tap.threads.size(), 4u);  // one write per member
  EXPECT_EQ(out.threads, tap.threads);
  for (auto id : tap.threads) EXPECT_NE(id, std::this_thread::get_id());
  EXPECT_EQ(out.finished, 1);
  EXPECT_EQ(decompress(Compression::kGzip, out.data), data);
}

// Fails its second write, as a full disk would.
class FailingSink : public ByteSink {
 public:
  void write(const void*, size_t) override {
    if (++writes == 2) throw Error("disk full");
  }
  void finish() override {}
  std::atomic<int> writes{0};
};

// Gzips `data` into `out` with `tap`, expecting FailingSink's error; returns
// once the compressor is gone (every member thread waited for).
void expect_disk_full(const std::string& data, ByteSink& out, ByteSink& tap) {
  auto sink = make_compressor(Compression::kGzip, out, -1, &tap);
  try {
    sink->write(data.data(), data.size());
    sink->finish();
    ADD_FAILURE() << "expected the failing sink's error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "disk full");
  }
}

TEST(Compression, AFailedMemberWriteFailsTheLayerAndStopsTheRest) {
  std::string data = sample_data(21 << 20);  // six members
  FailingSink out;
  StringSink tap;
  expect_disk_full(data, out, tap);  // no member thread is left blocked
  EXPECT_EQ(out.writes.load(), 2);   // nothing after the failed member
  // The tap runs ahead of the writes (a member is hashed before it is
  // compressed), but only ever in order: it saw a prefix of the input.
  EXPECT_EQ(tap.data(), data.substr(0, tap.data().size()));
}

TEST(Compression, AFailedTapFailsTheLayerAndNothingAfterItIsWritten) {
  std::string data = sample_data(21 << 20);  // six members
  StringSink out;
  FailingSink tap;  // fails on the second member
  expect_disk_full(data, out, tap);
  EXPECT_EQ(tap.writes.load(), 2);  // no member is hashed after the one that failed
  // At most the first member, whose hash went through, reached the output.
  EXPECT_LE(gzip_member_sizes(out.data()).size(), 1u);
}

TEST(Compression, EmptyGzipIsOneEmptyMember) {
  std::string gz = compress(Compression::kGzip, "");
  EXPECT_EQ(gzip_member_sizes(gz), std::vector<size_t>{0});
  EXPECT_EQ(decompress(Compression::kGzip, gz), "");
}

TEST(Compression, SystemToolsDecodeOurOutput) {
  std::string data = sample_data(200000);
  TempDir dir;
  if (!find_program("gzip").empty()) {
    std::string p = join_path(dir.path(), "x.gz");
    write_file_atomic(p, compress(Compression::kGzip, data));
    auto r = run_process({"gzip", "-dc", p});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, data);
  }
  if (!find_program("zstd").empty()) {
    std::string p = join_path(dir.path(), "x.zst");
    write_file_atomic(p, compress(Compression::kZstd, data));
    auto r = run_process({"zstd", "-dc", p});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, data);
  }
}

TEST(Compression, ConcatenatedGzipMembersAreOneStream) {
  std::string z = compress(Compression::kGzip, "abc") + compress(Compression::kGzip, "def");
  EXPECT_EQ(decompress(Compression::kGzip, z), "abcdef");
}

TEST(Compression, TruncatedGzipIsAnError) {
  std::string data = sample_data(1 << 20);
  std::string z = compress(Compression::kGzip, data);
  for (size_t cut : {size_t{5}, size_t{20}, z.size() / 2, z.size() - 4}) {
    EXPECT_THROW(decompress(Compression::kGzip, z.substr(0, cut)), Error) << "cut " << cut;
  }
}

TEST(Compression, GarbledGzipIsAnError) {
  std::string data = sample_data(1 << 20);
  std::string z = compress(Compression::kGzip, data);
  std::string bad = z;
  for (size_t i = 100; i < 200; ++i) bad[i] = static_cast<char>(bad[i] ^ 0xa5);
  EXPECT_THROW(decompress(Compression::kGzip, bad), Error);
  // A damaged CRC trailer is caught too.
  std::string crc = z;
  crc[crc.size() - 6] ^= 0x01;
  EXPECT_THROW(decompress(Compression::kGzip, crc), Error);
}

TEST(Compression, TruncatedZstdIsAnError) {
  std::string data = sample_data(1 << 20);
  std::string z = compress(Compression::kZstd, data);
  for (size_t cut : {size_t{6}, z.size() / 2, z.size() - 2}) {
    EXPECT_THROW(decompress(Compression::kZstd, z.substr(0, cut)), Error) << "cut " << cut;
  }
}

TEST(Compression, GarbledZstdIsAnError) {
  std::string data = sample_data(1 << 20);
  std::string z = compress(Compression::kZstd, data);
  for (size_t i = 50; i < 150; ++i) z[i] = static_cast<char>(z[i] ^ 0x5a);
  EXPECT_THROW(decompress(Compression::kZstd, z), Error);
}

}  // namespace distill
