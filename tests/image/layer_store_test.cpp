// Layer stores behind the local layer cache (image/layer_store.h): a layer
// another machine stored is used without running its job, with its member
// paths; it is then a local hit; built layers are stored by the same key; a
// store whose blob cannot be fetched costs a rebuild, not the build.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "image/builder.h"
#include "image/layer_cache.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

// A store in memory: key -> (blob bytes, descriptor, diff_id, info).
class MemoryStore : public LayerStore {
 public:
  std::string name() const override { return "memory"; }
  std::optional<StoredLayer> lookup(const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu);
    ++lookups;
    auto it = layers.find(key);
    if (it == layers.end()) return std::nullopt;
    return it->second.layer;
  }
  void fetch(const StoredLayer& hit, const std::string& path) override {
    std::lock_guard<std::mutex> lock(mu);
    if (broken) throw Error(ErrorKind::kNetwork, "the store is gone");
    for (const auto& [key, e] : layers) {
      if (e.layer.blob.digest == hit.blob.digest) write_file_atomic(path, e.bytes);
    }
  }
  void store(const std::string& key, const BuiltLayer& layer, const std::string& info) override {
    std::lock_guard<std::mutex> lock(mu);
    layers[key] = {{layer.layer->descriptor(), layer.layer->diff_id(), info},
                   read_file(layer.layer->path())};
  }
  void store_blob(const BuiltLayer&) override { ++bare_blobs; }

  struct Entry {
    StoredLayer layer;
    std::string bytes;
  };
  std::mutex mu;
  std::map<std::string, Entry> layers;
  int lookups = 0, bare_blobs = 0;
  bool broken = false;
};

LayerJob store_test_job(const std::string& data, std::atomic<int>& runs) {
  LayerJob job;
  job.name = job.description = "store test layer";
  job.run = [data, &runs](const std::string& dir) {
    ++runs;
    BuiltLayer l = write_layer_blob(dir, {}, "store test layer", [&](TarWriter& tar) {
      TarEntry e;
      e.path = "etc/" + data;
      e.mode = 0644;
      e.size = data.size();
      tar.add(e, data);
    });
    l.paths.emplace_back("etc/" + data, TarEntry::Type::kFile);
    return l;
  };
  job.key_inputs = "{\"store-test\":\"" + data + "\"}";
  return job;
}

struct StoreEnv {
  TempDir tmp;
  std::string dir(const std::string& name) {
    std::string d = join_path(tmp.path(), name);
    make_dirs(d);
    return d;
  }
  BuiltLayer build(LayerJob job, const std::string& machine, const LayerStores& stores,
                   const std::string& out) {
    std::vector<LayerJob> jobs{std::move(job)};
    use_layer_cache(jobs, {}, join_path(tmp.path(), machine), stores);
    return run_layer_jobs(jobs, dir(out), 1).at(0);
  }
};

TEST(LayerStores, AnotherMachinesLayerIsUsedWithoutRunningTheJob) {
  StoreEnv env;
  MemoryStore shared;
  std::atomic<int> runs{0};
  BuiltLayer a = env.build(store_test_job("x", runs), "a", {{&shared}, {&shared}}, "a1");
  EXPECT_EQ(runs, 1);
  ASSERT_EQ(shared.layers.size(), 1u);
  EXPECT_EQ(shared.layers.begin()->first, layer_cache_key(store_test_job("x", runs), {}));

  LayerCacheCounts before = layer_cache_counts();
  BuiltLayer b = env.build(store_test_job("x", runs), "b", {{&shared}, {}}, "b1");
  EXPECT_EQ(runs, 1);  // machine B ran nothing
  EXPECT_EQ(layer_cache_counts().remote_hits, before.remote_hits + 1);
  EXPECT_EQ(b.layer->descriptor().digest, a.layer->descriptor().digest);
  EXPECT_EQ(b.layer->diff_id(), a.layer->diff_id());
  EXPECT_EQ(b.uncompressed_size, a.uncompressed_size);
  EXPECT_EQ(b.paths, a.paths);  // the path checks see a stored layer's members
  EXPECT_EQ(read_file(b.layer->path()), read_file(a.layer->path()));

  // Kept in B's local cache: the next build there asks no store.
  int lookups = shared.lookups;
  BuiltLayer again = env.build(store_test_job("x", runs), "b", {{&shared}, {}}, "b2");
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(shared.lookups, lookups);
  EXPECT_EQ(again.layer->descriptor().digest, a.layer->descriptor().digest);
}

TEST(LayerStores, ABlobThatCannotBeFetchedIsBuiltInstead) {
  StoreEnv env;
  MemoryStore shared;
  std::atomic<int> runs{0};
  BuiltLayer a = env.build(store_test_job("y", runs), "a", {{}, {&shared}}, "a1");
  shared.broken = true;
  BuiltLayer b = env.build(store_test_job("y", runs), "b", {{&shared}, {}}, "b1");
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(b.layer->descriptor().digest, a.layer->descriptor().digest);
}

TEST(LayerStores, KeylessLayersAreKeptAsBareBlobsOnlyInWritableStores) {
  StoreEnv env;
  MemoryStore to, from;
  std::atomic<int> runs{0};
  LayerJob job = store_test_job("z", runs);
  job.key_inputs.clear();
  env.build(job, "a", {{&from}, {&to}}, "a1");
  EXPECT_EQ(to.bare_blobs, 1);
  EXPECT_EQ(from.bare_blobs, 0);
  EXPECT_EQ(from.lookups, 0);  // no key, nothing to look up
  EXPECT_TRUE(to.layers.empty());
}

}  // namespace

}  // namespace distill
