// The layer cache: keys, hits that run nothing, misses on any key input,
// broken entries removed and rebuilt, concurrent writers, and pruning.
#include "image/layer_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "archive/compress.h"
#include "image/builder.h"
#include "image/cache_prune.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill {

namespace {

// A job writing one file with `data`, counting its runs in `runs`.
LayerJob counted_job(const std::string& data, std::atomic<int>& runs) {
  LayerJob job;
  job.name = job.description = "test layer";
  job.run = [data, &runs](const std::string& dir) {
    ++runs;
    return write_layer_blob(dir, {}, "test layer", [&](TarWriter& tar) {
      TarEntry e;
      e.path = "etc/data";
      e.mode = 0644;
      e.size = data.size();
      tar.add(e, data);
    });
  };
  job.key_inputs = "{\"data\":\"" + data + "\"}";
  return job;
}

struct CacheEnv {
  TempDir tmp;
  std::string cache = join_path(tmp.path(), "cache");
  std::string build_dir(const std::string& name) {
    std::string d = join_path(tmp.path(), name);
    make_dirs(d);
    return d;
  }
  BuiltLayer build(LayerJob job, const std::string& dir, LayerBlobOptions blob = {}) {
    std::vector<LayerJob> jobs{std::move(job)};
    use_layer_cache(jobs, blob, cache);
    return run_layer_jobs(jobs, build_dir(dir), 1).at(0);
  }
};

TEST(LayerCacheKey, IsHexSha256OfEveryInput) {
  std::atomic<int> runs{0};
  LayerJob job = counted_job("a", runs);
  std::string k = layer_cache_key(job, {});
  EXPECT_EQ(k.size(), 64u);
  EXPECT_EQ(k.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(k, layer_cache_key(job, {}));
  EXPECT_NE(k, layer_cache_key(counted_job("b", runs), {}));
  LayerBlobOptions level1;
  level1.level = 1;
  EXPECT_NE(k, layer_cache_key(job, level1));
  LayerBlobOptions zstd;
  zstd.compression = Compression::kZstd;
  EXPECT_NE(k, layer_cache_key(job, zstd));
  LayerBlobOptions merged;
  merged.merged_usr = true;
  EXPECT_NE(k, layer_cache_key(job, merged));
  job.key_inputs.clear();
  EXPECT_EQ(layer_cache_key(job, {}), "");  // not cacheable
  EXPECT_NE(compressor_identity(Compression::kGzip, -1).find("gzip/libdeflate-"),
            std::string::npos);
}

TEST(LayerCacheKey, LayersBelowEnterTheKeyOfAJobThatReadsThem) {
  CacheEnv env;
  std::atomic<int> runs{0};
  BuiltLayer a = env.build(counted_job("a", runs), "b1");
  BuiltLayer b = env.build(counted_job("b", runs), "b2");
  LayerJob below_job;
  below_job.key_inputs = "{}";
  below_job.run_on_below = [](const std::string&, const std::vector<BuiltLayer>&) {
    return BuiltLayer{};
  };
  EXPECT_NE(layer_cache_key(below_job, {}, {a}), layer_cache_key(below_job, {}, {b}));
  EXPECT_NE(layer_cache_key(below_job, {}, {a, b}), layer_cache_key(below_job, {}, {b, a}));
}

TEST(LayerCache, HitRunsNothingAndGivesTheSameLayer) {
  CacheEnv env;
  std::atomic<int> runs{0};
  LayerCacheCounts before = layer_cache_counts();
  BuiltLayer first = env.build(counted_job("hello", runs), "one");
  BuiltLayer second = env.build(counted_job("hello", runs), "two");
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(layer_cache_counts().hits - before.hits, 1u);
  EXPECT_EQ(layer_cache_counts().misses - before.misses, 1u);
  EXPECT_EQ(second.layer->descriptor().digest, first.layer->descriptor().digest);
  EXPECT_EQ(second.layer->diff_id(), first.layer->diff_id());
  EXPECT_EQ(second.uncompressed_size, first.uncompressed_size);
  EXPECT_EQ(second.entries, first.entries);
  EXPECT_EQ("sha256:" + sha256_file_hex(second.layer->path()), first.layer->descriptor().digest);
  EXPECT_EQ(parent_dir(second.layer->path()), join_path(env.tmp.path(), "two"));

  // Another input, or another level: a miss.
  env.build(counted_job("other", runs), "three");
  EXPECT_EQ(runs, 2);
  LayerBlobOptions level1;
  level1.level = 1;
  env.build(counted_job("hello", runs), "four", level1);
  EXPECT_EQ(runs, 3);
}

TEST(LayerCache, BrokenEntriesAreRemovedAndRebuilt) {
  CacheEnv env;
  std::atomic<int> runs{0};
  BuiltLayer first = env.build(counted_job("hello", runs), "one");
  std::string key = layer_cache_key(counted_job("hello", runs), {});
  std::string blob = join_path(env.cache, "layers/" + key + ".blob");
  std::string meta = join_path(env.cache, "layers/" + key + ".json");
  ASSERT_TRUE(path_exists(blob));

  // The blob rewritten in place (another size and mtime): not served.
  write_file_atomic(blob, "garbage");
  BuiltLayer again = env.build(counted_job("hello", runs), "two");
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(again.layer->descriptor().digest, first.layer->descriptor().digest);
  EXPECT_EQ("sha256:" + sha256_file_hex(blob), first.layer->descriptor().digest);  // repaired

  // Metadata edited (its SHA-256 no longer matches): rebuilt too.
  std::string text = read_file(meta);
  size_t at = text.find("\"entries\":") + 10;
  text[at] = text[at] == '7' ? '8' : '7';
  write_file_atomic(meta, text);
  env.build(counted_job("hello", runs), "three");
  EXPECT_EQ(runs, 3);
  env.build(counted_job("hello", runs), "four");
  EXPECT_EQ(runs, 3);  // and served again afterwards
}

TEST(LayerCache, ConcurrentWritersLeaveOneGoodEntry) {
  CacheEnv env;
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  std::vector<std::string> digests(6);
  for (int t = 0; t < 6; ++t) {
    std::string dir = env.build_dir("t" + std::to_string(t));
    threads.emplace_back([&, t, dir] {
      std::vector<LayerJob> jobs{counted_job("shared", runs)};
      use_layer_cache(jobs, {}, env.cache);
      digests[t] = run_layer_jobs(jobs, dir, 1).at(0).layer->descriptor().digest;
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& d : digests) EXPECT_EQ(d, digests[0]);
  int before = runs;
  BuiltLayer after = env.build(counted_job("shared", runs), "after");
  EXPECT_EQ(runs, before);  // a hit: the entry survived the race intact
  EXPECT_EQ(after.layer->descriptor().digest, digests[0]);
}

TEST(CachePrune, StatsCountLayersAndPruneRemovesTheOldestFirst) {
  CacheEnv env;
  std::atomic<int> runs{0};
  env.build(counted_job("old", runs), "one");
  std::string old_key = layer_cache_key(counted_job("old", runs), {});
  // Make "old" clearly older than "new".
  std::string old_meta = join_path(env.cache, "layers/" + old_key + ".json");
  struct timespec times[2] = {{1000, 0}, {1000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, old_meta.c_str(), times, 0), 0);
  env.build(counted_job("new", runs), "two");
  std::vector<CacheKindUsage> u = cache_usage(env.cache);
  ASSERT_EQ(u.size(), 3u);
  EXPECT_EQ(u[2].kind, "layers");
  EXPECT_EQ(u[2].entries, 2u);
  uint64_t one = u[2].bytes / 2;
  std::vector<CacheKindUsage> removed = prune_cache(env.cache, u[2].bytes - 1);
  EXPECT_EQ(removed[2].entries, 1u);
  EXPECT_FALSE(path_exists(old_meta));
  EXPECT_EQ(cache_usage(env.cache)[2].entries, 1u);
  prune_cache(env.cache, 0);
  EXPECT_EQ(cache_usage(env.cache)[2].entries, 0u);
  EXPECT_GT(one, 0u);
}

}  // namespace
}  // namespace distill
