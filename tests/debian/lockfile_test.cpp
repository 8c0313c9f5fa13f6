#include "debian/lockfile.h"

#include <gtest/gtest.h>

#include "util/error.h"
#include "util/fs.h"

namespace distill::debian {
namespace {

const std::string kA(64, 'a');
const std::string kB(64, 'b');

LockedPackage locked(std::string name, std::string version, std::string sha = kA) {
  return {std::move(name),   std::move(version), "amd64",        "bookworm", "main",
          "pool/main/x.deb", "file:///r",        std::move(sha), 123};
}

Lockfile sample() {
  Lockfile l;
  l.packages["amd64"] = {locked("zlib1g", "1:1.2.13.dfsg-1"), locked("base-files", "12.4+deb12u5")};
  l.packages["arm64"] = {locked("libc6", "2.36-9+deb12u4")};
  l.packages["arm64"][0].architecture = "arm64";
  l.releases = {{"file:///r", "bookworm-updates", kB, "Sat, 10 Jun 2023 08:55:26 UTC"},
                {"file:///r", "bookworm", kA, "Sat, 10 Jun 2023 08:55:26 UTC"}};
  return l;
}

TEST(Lockfile, StableJsonWithSortedPackages) {
  std::string json = lockfile_to_json(sample());
  // Fixed key order and package order: the text is the contract.
  EXPECT_EQ(json.find("\"version\": 1"), 4u);
  EXPECT_LT(json.find("\"releases\""), json.find("\"packages\""));
  EXPECT_LT(json.find("\"bookworm\""), json.find("\"bookworm-updates\""));
  EXPECT_LT(json.find("base-files"), json.find("zlib1g"));
  EXPECT_LT(json.find("\"amd64\": ["), json.find("\"arm64\": ["));
  size_t name = json.find("\"name\": \"base-files\"");
  size_t order[] = {json.find("\"version\"", name),   json.find("\"architecture\"", name),
                    json.find("\"repo_uri\"", name),  json.find("\"suite\"", name),
                    json.find("\"component\"", name), json.find("\"filename\"", name),
                    json.find("\"size\": 123", name), json.find("\"sha256\"", name)};
  for (size_t i = 0; i + 1 < std::size(order); ++i) EXPECT_LT(order[i], order[i + 1]) << i;
  EXPECT_EQ(json.back(), '\n');
  // Writing the same lock twice gives identical bytes.
  EXPECT_EQ(json, lockfile_to_json(lockfile_from_json(json, "x")));
}

TEST(Lockfile, RoundTripThroughFile) {
  TempDir dir;
  std::string path = join_path(dir.path(), "distill.lock");
  write_lockfile(sample(), path);
  Lockfile back = read_lockfile(path);
  EXPECT_EQ(back.version, 1);
  ASSERT_EQ(back.packages.size(), 2u);
  ASSERT_EQ(back.packages["amd64"].size(), 2u);
  const LockedPackage& p = back.packages["amd64"][0];
  EXPECT_EQ(p.name, "base-files");
  EXPECT_EQ(p.version, "12.4+deb12u5");
  EXPECT_EQ(p.architecture, "amd64");
  EXPECT_EQ(p.suite, "bookworm");
  EXPECT_EQ(p.component, "main");
  EXPECT_EQ(p.filename, "pool/main/x.deb");
  EXPECT_EQ(p.repo_uri, "file:///r");
  EXPECT_EQ(p.sha256, kA);
  EXPECT_EQ(p.size, 123u);
  EXPECT_EQ(back.packages["arm64"][0].architecture, "arm64");
  ASSERT_EQ(back.releases.size(), 2u);
  EXPECT_EQ(back.releases[0].suite, "bookworm");
  EXPECT_EQ(back.releases[0].inrelease_sha256, kA);
  EXPECT_EQ(back.releases[0].date, "Sat, 10 Jun 2023 08:55:26 UTC");
  EXPECT_EQ(read_file(path), lockfile_to_json(sample()));
}

std::string lock_error_of(const std::string& text) {
  try {
    lockfile_from_json(text, "distill.lock");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Lockfile, ErrorsNameFileAndField) {
  std::string good = lockfile_to_json(sample());
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  EXPECT_EQ(
      lock_error_of(replaced("\"version\": 1", "\"version\": 2")),
      "distill.lock: .version: unsupported lockfile version 2 (this distill reads version 1)");
  EXPECT_EQ(lock_error_of(replaced("\"size\": 123", "\"size\": \"123\"")),
            "distill.lock: .packages.amd64[0] (base-files).size: expected a non-negative integer");
  EXPECT_EQ(
      lock_error_of(replaced("\"sha256\": \"" + kA, "\"sha256\": \"" + kA.substr(1))),
      "distill.lock: .packages.amd64[0] (base-files).sha256: expected 64 lowercase hex digits");
  EXPECT_EQ(lock_error_of(replaced("\"version\": \"12.4+deb12u5\"", "\"version\": \"1.0-\"")),
            "distill.lock: .packages.amd64[0] (base-files).version: invalid version '1.0-': empty "
            "revision");
  EXPECT_EQ(lock_error_of(replaced("\"component\"", "\"komponent\"")),
            "distill.lock: .packages.amd64[0] (base-files).component: missing");
  EXPECT_EQ(lock_error_of(replaced("\"zlib1g\"", "\"base-files\"")),
            "distill.lock: .packages.amd64[1] (base-files): package listed twice for amd64");
  EXPECT_EQ(lock_error_of(replaced("\"date\"", "\"dated\"")),
            "distill.lock: .releases[0].date: missing");
  EXPECT_EQ(lock_error_of("[]"), "distill.lock: (top level): expected an object");
  EXPECT_EQ(lock_error_of("{\"version\": 1}"), "distill.lock: .releases: missing");
  EXPECT_TRUE(lock_error_of("{").starts_with("distill.lock: not valid JSON: "));
  EXPECT_EQ(lock_error_of(good), "");
  try {
    read_lockfile("/nonexistent/distill.lock");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/distill.lock: lockfile not found");
  }
}

TEST(Lockfile, Diff) {
  Lockfile a, b;
  a.packages["amd64"] = {locked("libssl3", "3.0.1-1"), locked("bar", "2.0"), locked("same", "1"),
                         locked("rebuilt", "1", kA)};
  b.packages["amd64"] = {locked("libssl3", "3.0.2-1"), locked("foo", "1.0"), locked("same", "1"),
                         locked("rebuilt", "1", kB)};
  EXPECT_EQ(diff_lockfiles(a, b),
            (std::vector<std::string>{"- bar 2.0", "+ foo 1.0", "libssl3 3.0.1-1 -> 3.0.2-1",
                                      "rebuilt 1 (sha256 changed)"}));
  EXPECT_TRUE(diff_lockfiles(a, a).empty());
  b.packages["arm64"] = {locked("libc6", "2.36")};
  auto d = diff_lockfiles(a, b);
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0], "amd64: - bar 2.0");
  EXPECT_EQ(d[4], "arm64: + libc6 2.36");
}

TEST(Lockfile, SnapshotIsRecordedAndOldLocksReadWithout) {
  std::string old_json = lockfile_to_json(sample());
  EXPECT_EQ(old_json.find("snapshot"), std::string::npos);  // unchanged bytes without one
  EXPECT_EQ(lockfile_from_json(old_json, "old.lock").snapshot, "");

  Lockfile lock = sample();
  lock.snapshot = "20260818T205150Z";
  std::string json = lockfile_to_json(lock);
  EXPECT_NE(json.find("\"version\": 1,\n  \"snapshot\": \"20260818T205150Z\""), std::string::npos)
      << json;
  EXPECT_EQ(lockfile_from_json(json, "new.lock").snapshot, "20260818T205150Z");
  EXPECT_EQ(lockfile_to_json(lockfile_from_json(json, "new.lock")), json);

  std::string bad = json;
  bad.replace(bad.find("20260818T205150Z"), 16, "2026-08-18");
  EXPECT_NE(lock_error_of(bad).find(".snapshot: expected a timestamp"), std::string::npos)
      << lock_error_of(bad);
}

}  // namespace
}  // namespace distill::debian
