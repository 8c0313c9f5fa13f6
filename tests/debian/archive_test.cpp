// The archive client against a signed fixture repository served on 127.0.0.1.
#include "debian/archive.h"

#include <gtest/gtest.h>

#include <thread>

#include "error_of.h"
#include "repo_fixture.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill::debian {
namespace {

using distill::testing::count_of;
using distill::testing::sh;
using distill::testing::TestRepo;
using distill::testing::TestServer;

struct Env {
  TestRepo repo;
  TestServer server{"serve", repo.repo(), repo.dir()};

  ArchiveOptions options(const std::string& cache = "cache") {
    ArchiveOptions o;
    Repository r;
    r.uri = server.url();
    r.suites = {"stable", "stable-updates"};
    r.components = {"main"};
    r.keyring = repo.keyring();
    o.repositories = {r};
    o.cache_dir = repo.tmp(cache);
    o.architectures = {"amd64"};
    o.apt_root = repo.tmp("no-apt-root");
    o.http.retries = 0;
    return o;
  }
};

// Adds a package stanza (no .deb) to stable-updates' index and signs a new Release.
void change_stable_updates(TestRepo& repo) {
  std::string bin = repo.repo() + "/dists/stable-updates/main/binary-amd64";
  sh("cd " + bin +
     " && ( [ -f Packages ] || xz -dkf Packages.xz ) && "
     "printf '\\nPackage: brand-new\\nVersion: 1\\nArchitecture: amd64\\n' >> Packages && "
     "xz -kf Packages && ( [ ! -f Packages.gz ] || gzip -kf Packages )");
  repo.resign("stable-updates");
}

TEST(Archive, GoodSignatureVerifiesAndHighestCandidateWins) {
  Env env;
  Archive archive(env.options());
  const PackageIndex& index = archive.index("amd64");
  const Package* hello = index.candidate("hello");
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->version, "1.1-1");
  EXPECT_EQ(hello->origin.suite, "stable-updates");
  EXPECT_EQ(index.versions("hello").size(), 2u);
  ASSERT_NE(index.candidate("greet-data"), nullptr);  // Architecture: all is in binary-amd64
  auto releases = archive.releases();
  ASSERT_EQ(releases.size(), 2u);
  EXPECT_EQ(releases[0].suite, "stable");
  EXPECT_EQ(releases[0].repo_uri, env.server.url());
  EXPECT_EQ(releases[0].inrelease_sha256,
            sha256_file_hex(env.repo.repo() + "/dists/stable/InRelease"));
  EXPECT_EQ(hello->origin.release_sha256, releases[1].inrelease_sha256);
  EXPECT_FALSE(releases[0].date.empty());

  auto paths = archive.fetch({hello, index.candidate("libgreet1")});
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(sha256_file_hex(paths[0]), hello->sha256);
  EXPECT_EQ(paths[0], archive.cache().dir() + "/blobs/sha256/" + hello->sha256);
  EXPECT_EQ(read_file(paths[0]),
            read_file(env.repo.repo() + "/pool/main/h/hello/hello_1.1-1_amd64.deb"));
}

TEST(Archive, BadSignatureRejectedNamingTheFile) {
  Env env;
  env.repo.resign("stable", "other");
  Archive archive(env.options());
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find(env.server.url("/dists/stable/InRelease")), std::string::npos) << err;
  EXPECT_NE(err.find("signature verification failed"), std::string::npos) << err;
  EXPECT_NE(err.find("not in keyring " + env.repo.keyring()), std::string::npos) << err;
}

TEST(Archive, SignatureFromWrongKeyringRejected) {
  Env env;
  // Verified once with the right keyring first: the memo of that
  // verification must not apply to the same Release under another keyring.
  { Archive(env.options()).index("amd64"); }
  auto o = env.options();
  o.repositories[0].keyring = env.repo.other_keyring();
  Archive archive(o);
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find("dists/stable/InRelease: signature verification failed"), std::string::npos)
      << err;
}

TEST(Archive, TamperedInReleaseRejected) {
  Env env;
  std::string p = env.repo.repo() + "/dists/stable/InRelease";
  std::string text = read_file(p);
  size_t at = text.find("Suite: stable");
  text.replace(at, 13, "Suite: stabl3");
  write_file_atomic(p, text);
  Archive archive(env.options());
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find("dists/stable/InRelease: signature verification failed: BAD signature"),
            std::string::npos)
      << err;
}

TEST(Archive, ExtraCleartextOutsideSignatureRejected) {
  Env env;
  std::string p = env.repo.repo() + "/dists/stable/InRelease";
  write_file_atomic(p, read_file(p) + "\nSHA256:\n " + std::string(64, 'a') + " 1 evil\n");
  Archive archive(env.options());
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find("dists/stable/InRelease: data after the signature"), std::string::npos) << err;
}

TEST(Archive, TamperedPackagesRejectedNamingTheIndex) {
  Env env;
  std::string dir = env.repo.repo() + "/dists/stable/main/binary-amd64";
  sh("cd " + dir +
     " && printf '\\nPackage: evil\\nVersion: 1\\nArchitecture: amd64\\n' >> Packages"
     " && xz -f -k -c Packages > Packages.xz");
  Archive archive(env.options());
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(
      err.find(env.server.url("/dists/stable/main/binary-amd64/Packages.xz") + ": hash mismatch"),
      std::string::npos)
      << err;
}

TEST(Archive, WrongDebHashRejectedNamingTheDeb) {
  Env env;
  Archive archive(env.options());
  const Package* hello = archive.index("amd64").candidate("hello");
  ASSERT_NE(hello, nullptr);
  std::string pool = env.repo.repo() + "/" + hello->filename;
  std::string data = read_file(pool);
  data[data.size() / 2] ^= 0x55;  // same size, different bytes
  ::unlink(pool.c_str());
  write_file_atomic(pool, data);
  std::string err = ::distill::error_of([&] { archive.fetch({hello}); });
  EXPECT_NE(err.find("pool/main/h/hello/hello_1.1-1_amd64.deb (hello 1.1-1) from " +
                     env.server.url() + ": hash mismatch: expected SHA-256 " + hello->sha256),
            std::string::npos)
      << err;
  EXPECT_FALSE(path_exists(archive.cache().blob_path(hello->sha256)));
}

TEST(Archive, ExpiredValidUntilRejectedWithTheDate) {
  Env env;
  env.repo.resign("stable-updates", "main", "VALID_UNTIL='Mon, 01 Jan 2024 00:00:00 UTC'");
  Archive archive(env.options());
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find("dists/stable-updates/InRelease: Release expired: Valid-Until is Mon, 01 Jan "
                     "2024 00:00:00 UTC"),
            std::string::npos)
      << err;
}

TEST(Archive, FutureValidUntilAccepted) {
  Env env;
  env.repo.resign("stable", "main", "VALID_UNTIL='Fri, 01 Jan 2100 00:00:00 UTC'");
  Archive archive(env.options());
  EXPECT_NE(archive.index("amd64").candidate("hello"), nullptr);
}

TEST(Archive, DetachedSignatureAndArmoredKeyring) {
  Env env;
  sh("rm " + env.repo.repo() + "/dists/stable/InRelease " + env.repo.repo() +
     "/dists/stable-updates/InRelease");
  auto o = env.options();
  o.repositories[0].keyring = env.repo.armored_keyring();
  Archive archive(o);
  EXPECT_EQ(archive.index("amd64").candidate("hello")->version, "1.1-1");
  std::string log = env.server.log();
  EXPECT_EQ(count_of(log, "GET /dists/stable/Release.gpg"), 1) << log;
}

TEST(Archive, DetachedSignatureFromOtherKeyRejected) {
  Env env;
  env.repo.resign("stable", "other", "NO_INRELEASE=yes");
  Archive archive(env.options());
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find("dists/stable/Release: signature verification failed"), std::string::npos)
      << err;
}

TEST(Archive, AcquireByHashUsesHashedPaths) {
  Env env;
  env.repo.resign("stable", "main", "BY_HASH=yes");
  Archive archive(env.options());
  const Package* libgreet = archive.index("amd64").candidate("libgreet1");
  ASSERT_NE(libgreet, nullptr);
  std::string log = env.server.log();
  EXPECT_EQ(count_of(log, "GET /dists/stable/main/binary-amd64/by-hash/SHA256/"), 1) << log;
  EXPECT_EQ(count_of(log, "GET /dists/stable/main/binary-amd64/Packages"), 0) << log;
}

TEST(Archive, InsecureSkipsSignatureButStillChecksHashes) {
  Env env;
  env.repo.resign("stable", "other");
  env.repo.resign("stable-updates", "other");
  auto o = env.options();
  o.insecure_skip_signatures = true;
  {
    Archive archive(o);
    EXPECT_EQ(archive.index("amd64").candidate("hello")->version, "1.1-1");
  }
  sh("cd " + env.repo.repo() + "/dists/stable/main/binary-amd64 && echo junk >> Packages.xz");
  o.cache_dir = env.repo.tmp("cache2");
  Archive archive(o);
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find("Packages.xz: hash mismatch"), std::string::npos) << err;
}

TEST(Archive, CorruptedCacheEntryIsFetchedAgain) {
  Env env;
  Archive archive(env.options());
  const Package* hello = archive.index("amd64").candidate("hello");
  std::string path = archive.fetch({hello})[0];
  write_file_atomic(path, "garbage");
  env.server.clear_log();
  std::string again = archive.fetch({hello})[0];
  EXPECT_EQ(sha256_file_hex(again), hello->sha256);
  EXPECT_EQ(env.server.log(), "GET /" + hello->filename + "\n");
}

TEST(Archive, UnchangedInReleaseDoesNotRefetchIndices) {
  Env env;
  { Archive(env.options()).index("amd64"); }
  env.server.clear_log();
  Archive archive(env.options());
  archive.index("amd64");
  // Both InRelease files are asked at once (Archive::prefetch_releases), so
  // in either order; each exactly once: release() takes the prefetched 304.
  std::string log = env.server.log();
  EXPECT_EQ(
      log.size(),
      std::string("GET /dists/stable/InRelease\nGET /dists/stable-updates/InRelease\n").size())
      << log;
  EXPECT_EQ(count_of(log, "GET /dists/stable/InRelease\n"), 1) << log;
  EXPECT_EQ(count_of(log, "GET /dists/stable-updates/InRelease\n"), 1) << log;
}

TEST(Archive, OfflineWithWarmCacheMakesNoRequest) {
  Env env;
  std::vector<LockedPackage> locked;
  {
    Archive archive(env.options());
    const Package* hello = archive.index("amd64").candidate("hello");
    archive.fetch({hello});
    locked.push_back({hello->name, hello->version, hello->architecture, hello->origin.suite,
                      hello->origin.component, hello->filename, hello->origin.repo_uri,
                      hello->sha256, hello->size});
  }
  env.server.clear_log();
  auto o = env.options();
  o.offline = true;
  Archive archive(o);
  const Package* hello = archive.index("amd64").candidate("hello");
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(sha256_file_hex(archive.fetch({hello})[0]), hello->sha256);
  EXPECT_EQ(sha256_file_hex(archive.fetch_locked(locked[0])), hello->sha256);
  // The libgreet1 .deb was never fetched: offline names it.
  std::string err =
      ::distill::error_of([&] { archive.fetch({archive.index("amd64").candidate("libgreet1")}); });
  EXPECT_NE(err.find("offline: pool/main/l/libgreet1/libgreet1_1.0-1_amd64.deb"), std::string::npos)
      << err;
  EXPECT_EQ(env.server.log(), "");
}

TEST(Archive, OfflineWithColdCacheFailsNamingTheFile) {
  Env env;
  auto o = env.options();
  o.offline = true;
  Archive archive(o);
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(
      err.find("offline: " + env.server.url("/dists/stable/InRelease") + " is not in the cache"),
      std::string::npos)
      << err;
  EXPECT_EQ(env.server.log(), "");
}

TEST(Archive, ConcurrentFetchesShareOneCache) {
  Env env;
  std::string errors[2];
  std::string paths[2];
  auto run = [&](int i) {
    try {
      Archive archive(env.options());
      const PackageIndex& index = archive.index("amd64");
      auto p = archive.fetch(
          {index.candidate("hello"), index.candidate("libgreet1"), index.candidate("greet-data")});
      paths[i] = p[0];
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  };
  std::thread a(run, 0), b(run, 1);
  a.join();
  b.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  EXPECT_EQ(paths[0], paths[1]);
  EXPECT_EQ(sha256_file_hex(paths[0]),
            sha256_file_hex(env.repo.repo() + "/pool/main/h/hello/hello_1.1-1_amd64.deb"));
  // Nothing left behind in tmp/.
  EXPECT_EQ(sh("ls -A " + env.repo.tmp("cache") + "/tmp"), "");
}

TEST(Archive, FileMirror) {
  Env env;
  auto o = env.options();
  o.repositories[0].uri = "file://" + env.repo.repo();
  Archive archive(o);
  const Package* hello = archive.index("arm64").candidate("hello");
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->architecture, "arm64");
  EXPECT_EQ(sha256_file_hex(archive.fetch({hello})[0]), hello->sha256);
  EXPECT_EQ(env.server.log(), "");
}

TEST(Archive, HostAptSourcesAndMirrorOverride) {
  Env env;
  std::string root = env.repo.tmp("root");
  make_dirs(root + "/etc/apt/sources.list.d");
  make_dirs(root + "/etc/apt/keyrings");
  // Signed-By paths are read inside the apt root.
  write_file_atomic(root + "/etc/apt/keyrings/fixture.asc", read_file(env.repo.armored_keyring()));
  write_file_atomic(root + "/etc/apt/sources.list.d/fixture.sources",
                    "Types: deb deb-src\nURIs: http://127.0.0.1:9/unused\nSuites: stable "
                    "stable-updates\nComponents: main\nSigned-By: /etc/apt/keyrings/fixture.asc\n");
  auto o = env.options();
  o.repositories.clear();
  o.apt_root = root;
  o.mirror = env.server.url() + "/";
  Archive archive(o);
  ASSERT_EQ(archive.repositories().size(), 1u);
  EXPECT_EQ(archive.repositories()[0].uri, env.server.url());
  EXPECT_EQ(archive.index("amd64").candidate("hello")->version, "1.1-1");
}

TEST(Archive, MissingSuiteNamesTheFlagThatSetItsUri) {
  Env env;
  std::string root = env.repo.tmp("root");
  make_dirs(root + "/etc/apt/sources.list.d");
  make_dirs(root + "/etc/apt/keyrings");
  write_file_atomic(root + "/etc/apt/keyrings/fixture.asc", read_file(env.repo.armored_keyring()));
  write_file_atomic(
      root + "/etc/apt/sources.list.d/debian.sources",
      "Types: deb\nURIs: http://127.0.0.1:9/unused\nSuites: stable "
      "stable-security\nComponents: main\nSigned-By: /etc/apt/keyrings/fixture.asc\n");
  auto o = env.options();
  o.repositories.clear();
  o.apt_root = root;
  o.mirror = env.server.url();
  o.security_mirror = env.server.url("/nosecurity");
  Archive archive(o);
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find("suite stable-security not found at " + env.server.url("/nosecurity") +
                     "/ (set by --security-mirror)"),
            std::string::npos)
      << err;
}

TEST(Archive, MissingSuiteNamesTheSourcesFile) {
  Env env;
  std::string root = env.repo.tmp("root");
  make_dirs(root + "/etc/apt/sources.list.d");
  write_file_atomic(
      root + "/etc/apt/sources.list.d/debian.sources",
      "Types: deb\nURIs: " + env.server.url() + "\nSuites: stable-security\nComponents: main\n");
  auto o = env.options();
  o.repositories.clear();
  o.apt_root = root;
  o.mirror = "http://127.0.0.1:9/main-only";  // must not apply to the security suite
  Archive archive(o);
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find("suite stable-security not found at " + env.server.url() + "/ (from " + root +
                     "/etc/apt/sources.list.d/debian.sources"),
            std::string::npos)
      << err;
}

TEST(Archive, AptConfProxyIsUsed) {
  Env env;
  TestServer proxy("proxy", env.repo.dir(), env.repo.dir());
  std::string root = env.repo.tmp("root");
  make_dirs(root + "/etc/apt/apt.conf.d");
  write_file_atomic(root + "/etc/apt/apt.conf.d/01proxy",
                    "Acquire::http::Proxy \"" + proxy.url() + "\";\n");
  auto o = env.options();
  o.apt_root = root;
  Archive archive(o);
  const Package* hello = archive.index("amd64").candidate("hello");
  archive.fetch({hello});
  std::string log = proxy.log();
  EXPECT_NE(log.find("GET " + env.server.url("/dists/stable/InRelease")), std::string::npos) << log;
  EXPECT_NE(log.find("GET " + env.server.url("/" + hello->filename)), std::string::npos) << log;
}

TEST(Archive, MissingSuiteIsNamed) {
  Env env;
  auto o = env.options();
  o.repositories[0].suites = {"nosuch"};
  Archive archive(o);
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find("suite nosuch not found at " + env.server.url() + "/"), std::string::npos)
      << err;
}

}  // namespace
}  // namespace distill::debian

namespace distill::debian {
namespace {

TEST(Archive, HostSourceWithoutSignedByUsesTrustedGpgD) {
  TestRepo repo;
  TestServer server("serve", repo.repo(), repo.dir());
  std::string root = repo.tmp("root");
  make_dirs(root + "/etc/apt/trusted.gpg.d");
  write_file_atomic(root + "/etc/apt/trusted.gpg.d/fixture.gpg", read_file(repo.keyring()));
  write_file_atomic(root + "/etc/apt/sources.list", "deb " + server.url() + " stable main\n");
  ArchiveOptions o;
  o.apt_root = root;
  o.cache_dir = repo.tmp("cache");
  Archive archive(o);
  EXPECT_NE(archive.repositories()[0].keyring.find(root + "/etc/apt/trusted.gpg.d/fixture.gpg"),
            std::string::npos);
  EXPECT_EQ(archive.index("amd64").candidate("hello")->version, "1.0-1");
}

}  // namespace
}  // namespace distill::debian

namespace distill::debian {
namespace {

TEST(Archive, IndicesAreDecodedOnceAndCorruptCompactFormsRebuilt) {
  Env env;
  uint64_t before = indices_decoded();
  std::string version;
  {
    Archive a(env.options());
    version = a.index("amd64").candidate("hello")->version;
  }
  EXPECT_EQ(indices_decoded() - before, 2u);  // stable and stable-updates main
  {
    Archive a(env.options());
    EXPECT_EQ(a.index("amd64").candidate("hello")->version, version);
  }
  EXPECT_EQ(indices_decoded() - before, 2u);  // the compact forms were read back

  // A corrupt compact form is noticed on open, dropped, and built again.
  std::string dir = env.repo.tmp("cache") + "/indices";
  std::string first = sh("ls " + dir + " | head -1");
  first.erase(first.find_last_not_of("\n") + 1);
  std::string bytes = read_file(dir + "/" + first);
  bytes[110] ^= 0x55;  // past the header: in the tables
  write_file_atomic(dir + "/" + first, bytes);
  {
    Archive a(env.options());
    EXPECT_EQ(a.index("amd64").candidate("hello")->version, version);
  }
  EXPECT_EQ(indices_decoded() - before, 3u);
}

TEST(Archive, NewReleaseWithAChangedIndexIsDecodedAgain) {
  Env env;
  { Archive(env.options()).index("amd64"); }
  change_stable_updates(env.repo);
  uint64_t before = indices_decoded();
  Archive a(env.options());
  EXPECT_NE(a.index("amd64").candidate("brand-new"), nullptr);
  EXPECT_EQ(indices_decoded() - before, 1u);  // only the changed one
}

}  // namespace
}  // namespace distill::debian

namespace distill::debian {
namespace {

TEST(Archive, VerifiedReleasesAreNotCheckedWithGpgvAgain) {
  Env env;
  uint64_t before = signatures_verified();
  std::string version;
  {
    Archive a(env.options());
    version = a.index("amd64").candidate("hello")->version;
  }
  EXPECT_EQ(signatures_verified() - before, 2u);  // stable and stable-updates
  {
    Archive a(env.options());
    EXPECT_EQ(a.index("amd64").candidate("hello")->version, version);
  }
  EXPECT_EQ(signatures_verified() - before, 2u);  // both from the memo

  // A corrupt memo entry is not a verification: the Release is checked again.
  std::string dir = env.repo.tmp("cache") + "/verified";
  std::string first = sh("ls " + dir + " | head -1");
  first.erase(first.find_last_not_of("\n") + 1);
  std::string bytes = read_file(dir + "/" + first);
  bytes.back() ^= 0x20;
  write_file_atomic(dir + "/" + first, bytes);
  { Archive(env.options()).index("amd64"); }
  EXPECT_EQ(signatures_verified() - before, 3u);
}

TEST(Archive, ResignedReleaseIsVerifiedAgain) {
  Env env;
  { Archive(env.options()).index("amd64"); }
  env.repo.resign("stable", "other");
  Archive archive(env.options());
  std::string err = ::distill::error_of([&] { archive.index("amd64"); });
  EXPECT_NE(err.find("signature verification failed"), std::string::npos) << err;
}

}  // namespace
}  // namespace distill::debian

namespace distill::debian {
namespace {

ArchiveOptions speculating(ArchiveOptions o) {
  o.speculate_releases = true;
  return o;
}

TEST(Archive, SpeculationGoesAheadWithTheCachedReleasesAndConfirmsThem) {
  Env env;
  { Archive(env.options()).index("amd64"); }
  env.server.clear_log();
  Archive archive(speculating(env.options()));
  const Package* hello = archive.index("amd64").candidate("hello");
  ASSERT_NE(hello, nullptr);
  EXPECT_TRUE(archive.confirm_releases());
  // Each InRelease asked exactly once, by its speculation thread.
  std::string log = env.server.log();
  EXPECT_EQ(count_of(log, "GET /dists/stable/InRelease\n"), 1) << log;
  EXPECT_EQ(count_of(log, "GET /dists/stable-updates/InRelease\n"), 1) << log;
  EXPECT_EQ(count_of(log, "GET "), 2) << log;
  EXPECT_EQ(archive.releases().size(), 2u);
}

TEST(Archive, SpeculationOnAChangedReleaseIsNotConfirmed) {
  Env env;
  { Archive(env.options()).index("amd64"); }
  change_stable_updates(env.repo);
  {
    Archive archive(speculating(env.options()));
    // It went ahead with the cached (old) index, so the new package is not there yet...
    EXPECT_EQ(archive.index("amd64").candidate("brand-new"), nullptr);
    // ...and the mirror's new Release makes that answer void.
    EXPECT_FALSE(archive.confirm_releases());
  }
  // The build again without speculation sees the new Release.
  Archive again(env.options());
  EXPECT_NE(again.index("amd64").candidate("brand-new"), nullptr);
  // And the one after it, speculating on the now-cached new Release, is confirmed.
  Archive third(speculating(env.options()));
  EXPECT_NE(third.index("amd64").candidate("brand-new"), nullptr);
  EXPECT_TRUE(third.confirm_releases());
}

TEST(Archive, SpeculationOnTheSameBytesUnderNewValidatorsIsConfirmedAndKeepsThem) {
  Env env;
  { Archive(env.options()).index("amd64"); }
  std::string url = env.server.url() + "/dists/stable/InRelease";
  std::string old_lm = Cache(env.options().cache_dir).load_release(url)->last_modified;
  // The mirror serves the same InRelease with a later Last-Modified (a re-sync).
  sh("touch -d @$(( $(stat -c %Y " + env.repo.repo() + "/dists/stable/InRelease) + 10 )) " +
     env.repo.repo() + "/dists/stable/InRelease");
  Archive archive(speculating(env.options()));
  EXPECT_NE(archive.index("amd64").candidate("hello"), nullptr);
  EXPECT_TRUE(archive.confirm_releases());
  // The new validators are cached: the next build's GET is answered 304.
  std::string new_lm = Cache(env.options().cache_dir).load_release(url)->last_modified;
  EXPECT_NE(new_lm, old_lm);
  EXPECT_FALSE(new_lm.empty());
}

TEST(Archive, SpeculationWithoutAnAnswerIsTheMirrorsError) {
  TestRepo repo;
  auto server = std::make_unique<TestServer>("serve", repo.repo(), repo.dir());
  ArchiveOptions o;
  Repository r;
  r.uri = server->url();
  r.suites = {"stable", "stable-updates"};
  r.components = {"main"};
  r.keyring = repo.keyring();
  o.repositories = {r};
  o.cache_dir = repo.tmp("cache");
  o.architectures = {"amd64"};
  o.apt_root = repo.tmp("no-apt-root");
  o.http.retries = 0;
  { Archive(o).index("amd64"); }
  server.reset();  // the mirror is gone: connections are refused
  Archive archive(speculating(o));
  EXPECT_NE(archive.index("amd64").candidate("hello"), nullptr);  // from the cache
  // The build that went ahead fails with the request's own error...
  std::string spec = ::distill::error_of([&] { archive.confirm_releases(); });
  EXPECT_NE(spec.find("/dists/stable"), std::string::npos) << spec;
  EXPECT_NE(spec.find("/InRelease"), std::string::npos) << spec;
  // ...the one a build without speculation gets from the dead mirror.
  Archive plain(o);
  std::string err = ::distill::error_of([&] { plain.index("amd64"); });
  EXPECT_NE(err.find("/dists/stable"), std::string::npos) << err;
  EXPECT_EQ(spec.substr(0, spec.find(':', spec.find("InRelease"))),
            err.substr(0, err.find(':', err.find("InRelease"))));
}

TEST(Archive, NothingSpeculatedIsConfirmedAtOnce) {
  Env env;
  Archive cold(speculating(env.options()));  // an empty cache: nothing to go ahead with
  EXPECT_NE(cold.index("amd64").candidate("hello"), nullptr);
  EXPECT_TRUE(cold.confirm_releases());
  Archive plain(env.options());
  EXPECT_TRUE(plain.confirm_releases());
}

}  // namespace
}  // namespace distill::debian
