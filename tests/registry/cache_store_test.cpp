// The registry layer cache against a real docker-registry on 127.0.0.1
// (skipped when the program is not installed), plus its mapping format.
#include "registry/cache_store.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

extern char** environ;

namespace distill::registry {
namespace {

// A port nothing listens on right now.
int cache_store_free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool cache_store_listening(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// docker-registry serving from a temporary directory; killed on destruction.
class LocalRegistry {
 public:
  explicit LocalRegistry(const std::string& dir) : port_(cache_store_free_port()) {
    std::string cfg = dir + "/registry.yml";
    write_file_atomic(cfg,
                      "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n"
                      "    rootdirectory: " +
                          dir + "/data\nhttp:\n  addr: 127.0.0.1:" + std::to_string(port_) +
                          "\n  secret: distill-test\n");
    std::vector<std::string> argv = {"docker-registry", "serve", cfg};
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    if (::posix_spawnp(&pid_, "docker-registry", nullptr, nullptr, args.data(), environ) != 0)
      pid_ = -1;
    for (int i = 0; pid_ > 0 && i < 200 && !cache_store_listening(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ~LocalRegistry() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int st;
    ::waitpid(pid_, &st, 0);
  }
  bool up() const { return pid_ > 0 && cache_store_listening(port_); }
  std::string ref(const std::string& repo) const {
    return "docker://127.0.0.1:" + std::to_string(port_) + "/" + repo;
  }

 private:
  int port_;
  pid_t pid_ = -1;
};

RegistryOptions insecure_options() {
  RegistryOptions o;
  o.insecure = true;
  o.config_file = "/nonexistent";
  o.auth_file = "/nonexistent";
  return o;
}

const std::string kKey = std::string(64, 'a');

CachedLayer sample_layer(const std::string& bytes) {
  CachedLayer l;
  l.blob.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
  l.blob.digest = sha256_digest(bytes);
  l.blob.size = static_cast<int64_t>(bytes.size());
  l.diff_id = sha256_digest("the tar");
  l.info = "{\"entries\":3}";
  return l;
}

TEST(CacheMapping, RoundTripsAndRefusesOtherKeys) {
  CachedLayer l = sample_layer("blob bytes");
  std::string raw = cache_manifest(kKey, l);
  oci::Descriptor info;
  CachedLayer back = parse_cache_manifest(raw, kKey, "test", &info);
  EXPECT_EQ(info.digest, sha256_digest(l.info));
  EXPECT_EQ(info.size, static_cast<int64_t>(l.info.size()));
  EXPECT_EQ(info.digest, cache_info_descriptor(l.info).digest);
  EXPECT_TRUE(back.info.empty());  // read from the config blob by lookup()
  EXPECT_EQ(back.blob.digest, l.blob.digest);
  EXPECT_EQ(back.blob.size, l.blob.size);
  EXPECT_EQ(back.blob.media_type, l.blob.media_type);
  EXPECT_EQ(back.diff_id, l.diff_id);
  EXPECT_THROW(parse_cache_manifest(raw, std::string(64, 'b'), "test"), Error);
  EXPECT_THROW(parse_cache_manifest("{\"layers\":[]}", kKey, "test"), Error);
  EXPECT_EQ(cache_tag(kKey), "distill-cache-" + kKey);
  EXPECT_THROW(cache_tag("ABC"), Error);
  CachedLayer bad = l;
  bad.diff_id = "md5:00";
  EXPECT_THROW(parse_cache_manifest(cache_manifest(kKey, bad), kKey, "test"), Error);
}

TEST(RegistryCache, StoresLooksUpAndFetches) {
  TempDir tmp;
  LocalRegistry reg(tmp.path());
  if (!reg.up()) GTEST_SKIP() << "docker-registry is not installed or did not start";
  std::string bytes(5000, 'x');
  write_file_atomic(tmp.path() + "/blob", bytes);
  CachedLayer l = sample_layer(bytes);
  auto file = std::make_shared<oci::FileLayer>(tmp.path() + "/blob", l.blob, l.diff_id);

  RegistryCacheStore store(reg.ref("fleet/cache"), insecure_options(), false);
  EXPECT_FALSE(store.lookup(kKey).has_value());
  EXPECT_TRUE(store.store(kKey, l, file));
  auto hit = store.lookup(kKey);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->blob.digest, l.blob.digest);
  EXPECT_EQ(hit->diff_id, l.diff_id);
  EXPECT_EQ(hit->info, l.info);
  store.fetch(*hit, tmp.path() + "/fetched");
  EXPECT_EQ(read_file(tmp.path() + "/fetched"), bytes);

  // Another machine, read-only: finds the layer, writes nothing.
  RegistryCacheStore ro(reg.ref("fleet/cache"), insecure_options(), true);
  EXPECT_TRUE(ro.lookup(kKey).has_value());
  std::string other(64, 'c');
  EXPECT_FALSE(ro.store(other, l, file));
  EXPECT_FALSE(store.lookup(other).has_value());
}

TEST(CacheMapping, WithoutInfoUsesTheEmptyConfig) {
  CachedLayer l = sample_layer("blob bytes");
  l.info.clear();
  oci::Descriptor d = cache_info_descriptor("");
  EXPECT_EQ(d.media_type, "application/vnd.oci.empty.v1+json");
  EXPECT_EQ(d.digest, sha256_digest("{}"));
  EXPECT_EQ(d.size, 2);
  oci::Descriptor info;
  parse_cache_manifest(cache_manifest(kKey, l), kKey, "test", &info);
  EXPECT_EQ(info.digest, d.digest);
}

TEST(RegistryCache, DeadRegistryIsAMissNotAnError) {
  RegistryOptions o = insecure_options();
  o.timeout_seconds = 2;
  RegistryCacheStore store(
      "docker://127.0.0.1:" + std::to_string(cache_store_free_port()) + "/fleet/cache", o, false);
  EXPECT_FALSE(store.lookup(kKey).has_value());
  CachedLayer l = sample_layer("x");
  EXPECT_FALSE(store.store(kKey, l, nullptr));
  EXPECT_FALSE(store.lookup(kKey).has_value());
}

}  // namespace
}  // namespace distill::registry
