// Part-of-package layers: extract: (e.g. libc-bin's C.utf8 locale) and the
// Java keystore of a CA bundle, built from .debs made with dpkg-deb.
#include "image/special_layers.h"

#include <gtest/gtest.h>

#include <map>

#include "../debian/repo_fixture.h"
#include "archive/tar_reader.h"
#include "error_of.h"
#include "image/java_keystore.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

using testing::quote;
using testing::sh;

namespace {

struct Member {
  TarEntry entry;
  std::string data;
};

std::map<std::string, Member> read_layer(const BuiltLayer& layer) {
  TarReader reader(layer.layer->open_tar(), "layer");
  std::map<std::string, Member> out;
  TarEntry e;
  while (reader.next(e)) {
    Member m{e, e.type == TarEntry::Type::kFile ? reader.read_all_data() : ""};
    out[e.path] = m;
  }
  return out;
}

// A libc-bin look-alike: the locale (with a hardlinked file), the
// copyright, and a binary that extract must leave out.
std::string build_libc_bin(const std::string& dir) {
  std::string root = dir + "/libc-bin";
  make_dirs(root + "/DEBIAN");
  write_file_atomic(root + "/DEBIAN/control",
                    "Package: libc-bin\nVersion: 2.36-9+deb12u10\nArchitecture: amd64\n"
                    "Maintainer: t <t@distill.invalid>\nDescription: test\n");
  write_file_atomic(root + "/DEBIAN/md5sums", "0123  usr/bin/ldd\n");
  make_dirs(root + "/usr/lib/locale/C.utf8/LC_MESSAGES");
  write_file_atomic(root + "/usr/lib/locale/C.utf8/LC_CTYPE", "ctype-data");
  write_file_atomic(root + "/usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES", "msg");
  sh("ln " + quote(root + "/usr/lib/locale/C.utf8/LC_CTYPE") + " " +
     quote(root + "/usr/lib/locale/C.utf8/LC_CTYPE2"));
  make_dirs(root + "/usr/share/doc/libc-bin");
  write_file_atomic(root + "/usr/share/doc/libc-bin/copyright", "GPL");
  make_dirs(root + "/usr/bin");
  write_file_atomic(root + "/usr/bin/ldd", "#!/bin/sh\n");
  std::string out = dir + "/libc-bin.deb";
  sh("dpkg-deb --root-owner-group -Zgzip --build " + quote(root) + " " + quote(out) +
     " >/dev/null");
  return out;
}

}  // namespace

TEST(ExtractLayer, TakesMatchingSubtreesAndStatusRecords) {
  TempDir tmp;
  std::string deb = build_libc_bin(tmp.path());
  BuiltLayer layer = write_extract_layer(
      tmp.path(), {}, deb, {"/usr/lib/locale/C.utf8", "/usr/share/doc/libc-bin/copyright"}, true,
      946684800, "extract from libc-bin");
  auto m = read_layer(layer);
  ASSERT_TRUE(m.count("usr/lib/locale/C.utf8"));
  EXPECT_EQ(m["usr/lib/locale/C.utf8"].entry.type, TarEntry::Type::kDirectory);
  EXPECT_EQ(m["usr/lib/locale/C.utf8/LC_CTYPE"].data, "ctype-data");
  // The hardlink becomes a file of its own with the same bytes.
  EXPECT_EQ(m["usr/lib/locale/C.utf8/LC_CTYPE2"].entry.type, TarEntry::Type::kFile);
  EXPECT_EQ(m["usr/lib/locale/C.utf8/LC_CTYPE2"].data, "ctype-data");
  EXPECT_EQ(m["usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES"].data, "msg");
  EXPECT_EQ(m["usr/share/doc/libc-bin/copyright"].data, "GPL");
  EXPECT_EQ(m["usr/share/doc/libc-bin/copyright"].entry.mode, 0644u);
  EXPECT_FALSE(m.count("usr/bin/ldd"));
  EXPECT_FALSE(m.count("usr/share/doc/libc-bin/changelog.Debian.gz"));
  EXPECT_NE(m["var/lib/dpkg/status.d/libc-bin"].data.find("Version: 2.36-9+deb12u10\n"),
            std::string::npos);
  EXPECT_EQ(m["var/lib/dpkg/status.d/libc-bin.md5sums"].data, "0123  usr/bin/ldd\n");
  for (const auto& [path, member] : m) EXPECT_EQ(member.entry.mtime, 946684800) << path;

  BuiltLayer bare = write_extract_layer(tmp.path(), {}, deb, {"/usr/lib/locale/*/LC_CTYPE"}, false,
                                        0, "extract from libc-bin");
  auto b = read_layer(bare);
  EXPECT_TRUE(b.count("usr/lib/locale/C.utf8/LC_CTYPE"));
  EXPECT_FALSE(b.count("usr/lib/locale/C.utf8/LC_CTYPE2"));
  EXPECT_FALSE(b.count("var/lib/dpkg/status.d/libc-bin"));
}

TEST(ExtractLayer, NothingMatchingAndUntakenHardlinkTargetsAreErrors) {
  TempDir tmp;
  std::string deb = build_libc_bin(tmp.path());
  EXPECT_EQ(error_of([&] {
              write_extract_layer(tmp.path(), {}, deb, {"/usr/lib/locale/C.UTF-8"}, true, 0,
                                  "extract from libc-bin 2.36");
            }),
            "extract from libc-bin 2.36: nothing in " + deb + " matches /usr/lib/locale/C.UTF-8");
  // dpkg-deb stores members in sorted order, so LC_CTYPE2 is the hardlink.
  EXPECT_EQ(error_of([&] {
              write_extract_layer(tmp.path(), {}, deb, {"/usr/lib/locale/C.utf8/LC_CTYPE2"}, true,
                                  0, "x");
            }),
            "x: /usr/lib/locale/C.utf8/LC_CTYPE2 is a hardlink to /usr/lib/locale/C.utf8/LC_CTYPE, "
            "which the extract paths do not take; add it to paths");
}

TEST(JavaKeystoreLayer, KeystoreOfTheBundleAtMode0555) {
  TempDir tmp;
  std::string root = tmp.path() + "/ca";
  make_dirs(root + "/DEBIAN");
  make_dirs(root + "/usr/share/ca-certificates/mozilla");
  write_file_atomic(root + "/DEBIAN/control",
                    "Package: ca-certificates\nVersion: 20230311\nArchitecture: all\n"
                    "Maintainer: t <t@distill.invalid>\nDescription: test\n");
  for (const char* cn : {"Alpha Root", "Beta Root", "Gamma Root"}) {
    sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj " +
       quote(std::string("/O=Test/CN=") + cn) + " -keyout /dev/null -out " +
       quote(root + "/usr/share/ca-certificates/mozilla/" + cn + ".crt") + " 2>/dev/null");
  }
  std::string deb = tmp.path() + "/ca.deb";
  sh("dpkg-deb --root-owner-group -Zgzip --build " + quote(root) + " " + quote(deb) +
     " >/dev/null");
  BuiltLayer layer = write_java_keystore_layer(tmp.path(), {}, deb, "/etc/ssl/certs/java/cacerts",
                                               "changeit", 946684800);
  auto m = read_layer(layer);
  const Member& jks = m["etc/ssl/certs/java/cacerts"];
  EXPECT_EQ(jks.entry.mode, 0555u);
  EXPECT_EQ(m["etc/ssl/certs/java"].entry.type, TarEntry::Type::kDirectory);
  auto entries = read_java_keystore(jks.data, "changeit", "cacerts");
  ASSERT_EQ(entries.size(), 3u);
  std::vector<std::string> aliases;
  for (const auto& e : entries) aliases.push_back(e.alias);
  std::sort(aliases.begin(), aliases.end());
  EXPECT_EQ(aliases, (std::vector<std::string>{"cn=alpha root,o=test", "cn=beta root,o=test",
                                               "cn=gamma root,o=test"}));
  // The keystore holds exactly the bundle's certificates.
  auto from_bundle = keystore_entries_from_pem(extract_ca_bundle(deb), "bundle");
  EXPECT_EQ(from_bundle.size(), entries.size());
}

}  // namespace distill
