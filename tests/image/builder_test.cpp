// The builder's job runner: the costliest job starts first (LayerJob::cost),
// the layers come back in image order whatever order they ran in, and
// run_on_below jobs get every layer below them.
#include <gtest/gtest.h>

#include <mutex>

#include "image/builder.h"
#include "util/fs.h"

namespace distill {
namespace {

BuiltLayer file_layer(const std::string& dir, const std::string& name) {
  return write_layer_blob(dir, {}, name, [&](TarWriter& tar) {
    TarEntry e;
    e.path = name;
    e.type = TarEntry::Type::kFile;
    e.mode = 0644;
    e.size = name.size();
    tar.add(e, name);
  });
}

struct Recorder {
  std::mutex mu;
  std::vector<std::string> started;
  LayerJob job(const std::string& name, uint64_t cost) {
    LayerJob j;
    j.name = name;
    j.cost = cost;
    j.run = [this, name](const std::string& dir) {
      {
        std::lock_guard<std::mutex> lock(mu);
        started.push_back(name);
      }
      return file_layer(dir, name);
    };
    return j;
  }
};

TEST(RunLayerJobs, CostliestStartsFirstAndLayersStayInImageOrder) {
  TempDir tmp;
  Recorder rec;
  std::vector<LayerJob> jobs = {rec.job("a", 10), rec.job("b", 0), rec.job("c", 500),
                                rec.job("d", 10), rec.job("e", 70)};
  std::vector<BuiltLayer> out = run_layer_jobs(jobs, tmp.path(), 1);
  EXPECT_EQ(rec.started, (std::vector<std::string>{"c", "e", "a", "d", "b"}));
  ASSERT_EQ(out.size(), jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_EQ(out[i].layer->descriptor().digest,
              file_layer(tmp.path(), jobs[i].name).layer->descriptor().digest)
        << "layer " << i;
  }
}

TEST(RunLayerJobs, TwoWorkersGiveTheSameLayersAsOne) {
  TempDir tmp;
  Recorder one, two;
  std::vector<LayerJob> a, b;
  for (int i = 0; i < 8; ++i) {
    a.push_back(one.job("f" + std::to_string(i), static_cast<uint64_t>(i % 3)));
    b.push_back(two.job("f" + std::to_string(i), static_cast<uint64_t>(i % 3)));
  }
  std::vector<BuiltLayer> x = run_layer_jobs(a, tmp.path(), 1);
  std::vector<BuiltLayer> y = run_layer_jobs(b, tmp.path(), 2);
  ASSERT_EQ(x.size(), y.size());
  for (size_t i = 0; i < x.size(); ++i)
    EXPECT_EQ(x[i].layer->descriptor().digest, y[i].layer->descriptor().digest) << "layer " << i;
}

TEST(RunLayerJobs, RunOnBelowGetsEveryLayerBelowItInImageOrder) {
  TempDir tmp;
  Recorder rec;
  std::vector<LayerJob> jobs = {rec.job("small", 1), rec.job("big", 100)};
  std::vector<std::string> seen;
  LayerJob top;
  top.name = "top";
  top.run_on_below = [&](const std::string& dir, const std::vector<BuiltLayer>& below) {
    for (const auto& l : below) seen.push_back(l.layer->descriptor().digest);
    return file_layer(dir, "top");
  };
  jobs.push_back(top);
  std::vector<BuiltLayer> out = run_layer_jobs(jobs, tmp.path(), 2);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(seen, (std::vector<std::string>{out[0].layer->descriptor().digest,
                                            out[1].layer->descriptor().digest}));
  EXPECT_EQ(out[0].layer->descriptor().digest,
            file_layer(tmp.path(), "small").layer->descriptor().digest);
}

}  // namespace
}  // namespace distill
