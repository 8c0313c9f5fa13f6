// Google Benchmark micro-benchmarks of the loops a build spends its time in:
// tar writing, layer compression, SHA-256 and Packages index parsing. Built
// with the project when libbenchmark-dev is present (so they cannot rot) and
// run by hand: build/bench/bench_hot_loops [--benchmark_filter=REGEX].
// They are not tests: speed goals are measured by bench/performance.sh.
#include <benchmark/benchmark.h>

#include <string>

#include "archive/compress.h"
#include "archive/tar_writer.h"
#include "debian/package_index.h"
#include "util/io.h"
#include "util/sha256.h"

namespace distill {
namespace {

// Compressible like a shared library: runs of text mixed with noise.
std::string bench_corpus(size_t size) {
  std::string s(size, '\0');
  uint32_t x = 2463534242u;
  for (size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    s[i] = static_cast<char>(i % 64 < 40 ? "libc.so.6 GLIBC_2.34 _init "[i % 27] : x & 0xff);
  }
  return s;
}

class NullSink : public ByteSink {
 public:
  void write(const void*, size_t n) override { bytes += n; }
  void finish() override {}
  size_t bytes = 0;
};

void BM_Sha256(benchmark::State& state) {
  std::string data = bench_corpus(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(sha256_hex(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Sha256)->Arg(16 << 10)->Arg(4 << 20);

void BM_Compress(benchmark::State& state, Compression c, int level) {
  std::string data = bench_corpus(16 << 20);
  for (auto _ : state) {
    NullSink out;
    auto sink = make_compressor(c, out, level);
    for (size_t off = 0; off < data.size(); off += 1 << 16) sink->write(data.data() + off, 1 << 16);
    sink->finish();
    state.counters["ratio"] = static_cast<double>(out.bytes) / static_cast<double>(data.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
  state.SetLabel(compressor_identity(c, level));
}
BENCHMARK_CAPTURE(BM_Compress, gzip_default, Compression::kGzip, -1)->UseRealTime();
BENCHMARK_CAPTURE(BM_Compress, gzip_1, Compression::kGzip, 1)->UseRealTime();
BENCHMARK_CAPTURE(BM_Compress, zstd_default, Compression::kZstd, -1)->UseRealTime();

void BM_TarWrite(benchmark::State& state) {
  // Many small files, as a package layer has: the per-entry cost dominates.
  std::string content = bench_corpus(static_cast<size_t>(state.range(0)));
  constexpr int kFiles = 1000;
  for (auto _ : state) {
    NullSink out;
    TarWriter tar(out);
    TarEntry e;
    e.size = content.size();
    for (int i = 0; i < kFiles; ++i) {
      e.path = "usr/lib/x86_64-linux-gnu/file" + std::to_string(i);
      tar.add(e, content);
    }
    tar.finish();
    benchmark::DoNotOptimize(out.bytes);
  }
  state.SetItemsProcessed(state.iterations() * kFiles);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kFiles * content.size()));
}
BENCHMARK(BM_TarWrite)->Arg(512)->Arg(64 << 10);

void BM_PackagesParse(benchmark::State& state) {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    std::string n = "pkg" + std::to_string(i);
    text += "Package: " + n + "\nVersion: 1." + std::to_string(i % 7) +
            "-1\nArchitecture: amd64\nMaintainer: A <a@example.org>\nInstalled-Size: 42\n"
            "Depends: libc6 (>= 2.34), libssl3 (>= 3.0.0)\nPriority: optional\n"
            "Section: libs\nFilename: pool/main/p/" +
            n + "/" + n +
            "_1_amd64.deb\n"
            "Size: 1234\nSHA256: " +
            std::string(64, 'a') +
            "\nDescription: a package\n more text of the long description\n\n";
  }
  debian::PackageOrigin origin{"http://127.0.0.1/debian", "bookworm", "main", ""};
  for (auto _ : state) {
    debian::PackageIndex index;
    index.add_packages(text, origin, "Packages");
    benchmark::DoNotOptimize(index.candidate("pkg1"));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_PackagesParse)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace distill

BENCHMARK_MAIN();
