// The .deb reader on packages built with dpkg-deb, and on garbled ones.
#include "debian/deb_file.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include "repo_fixture.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::debian {
namespace {

using distill::testing::quote;
using distill::testing::sh;

// Builds a one-file package with dpkg-deb; `compress` is dpkg-deb's -Z.
std::string build_deb(const std::string& dir, const std::string& compress) {
  std::string root = dir + "/root-" + compress;
  make_dirs(root + "/DEBIAN");
  make_dirs(root + "/usr/share/hello");
  write_file_atomic(root + "/DEBIAN/control",
                    "Package: hello\nVersion: 2.0-1\nArchitecture: amd64\nMaintainer: t "
                    "<t@distill.invalid>\nDescription: test\n");
  write_file_atomic(root + "/DEBIAN/md5sums",
                    "d41d8cd98f00b204e9800998ecf8427e  usr/share/hello/greeting\n");
  write_file_atomic(root + "/usr/share/hello/greeting", "hi\n");
  std::string out = dir + "/hello-" + compress + ".deb";
  sh("dpkg-deb --root-owner-group -Z" + compress + " --build " + quote(root) + " " + quote(out) +
     " >/dev/null");
  return out;
}

// Lists the entries of the (compressed) data tarball streamed by DebFile.
std::string data_listing(const DebFile& deb) {
  std::unique_ptr<ByteSource> src = deb.open_data();
  std::string data = read_all(*src);
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  std::string out;
  if (archive_read_open_memory(a, data.data(), data.size()) == ARCHIVE_OK) {
    archive_entry* e;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      out += archive_entry_pathname(e);
      if (archive_entry_filetype(e) == AE_IFREG) {
        std::string body(static_cast<size_t>(archive_entry_size(e)), '\0');
        archive_read_data(a, body.data(), body.size());
        out += "=" + body;
      } else {
        out += "\n";
      }
    }
  }
  archive_read_free(a);
  return out;
}

std::string deb_error_of(const std::string& path) {
  try {
    DebFile deb(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

class DebFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DebFileTest, ReadsControlAndStreamsData) {
  TempDir tmp;
  std::string compress = GetParam();
  DebFile deb(build_deb(tmp.path(), compress));
  EXPECT_NE(deb.control().find("Package: hello\nVersion: 2.0-1\n"), std::string::npos);
  EXPECT_EQ(deb.md5sums(), "d41d8cd98f00b204e9800998ecf8427e  usr/share/hello/greeting\n");
  std::string expected_member = compress == "none"
                                    ? "data.tar"
                                    : "data.tar." + (compress == "gzip"   ? std::string("gz")
                                                     : compress == "zstd" ? std::string("zst")
                                                                          : compress);
  EXPECT_EQ(deb.data_member(), expected_member);
  std::string listing = data_listing(deb);
  EXPECT_NE(listing.find("./usr/share/hello/greeting=hi\n"), std::string::npos) << listing;
}

INSTANTIATE_TEST_SUITE_P(Compressions, DebFileTest,
                         ::testing::Values("xz", "zstd", "gzip", "none"));

TEST(DebFile, RejectsNonDeb) {
  TempDir tmp;
  write_file_atomic(tmp.path() + "/x.deb", "this is not an ar archive at all, just text\n");
  EXPECT_NE(deb_error_of(tmp.path() + "/x.deb").find(tmp.path() + "/x.deb: not a Debian package"),
            std::string::npos);
}

TEST(DebFile, RejectsTruncated) {
  TempDir tmp;
  std::string deb = build_deb(tmp.path(), "xz");
  std::string data = read_file(deb);
  write_file_atomic(tmp.path() + "/cut.deb", data.substr(0, data.size() - 40));
  std::string err = deb_error_of(tmp.path() + "/cut.deb");
  EXPECT_NE(err.find("data.tar.xz' claims"), std::string::npos) << err;
  EXPECT_NE(err.find("truncated"), std::string::npos) << err;
}

TEST(DebFile, RejectsWrongMemberOrder) {
  TempDir tmp;
  std::string d = tmp.path();
  std::string deb = build_deb(d, "xz");
  sh("cd " + quote(d) + " && ar x " + quote(deb) +
     " && ar rc swapped.deb control.tar.xz debian-binary data.tar.xz"
     " && ar rc nodata.deb debian-binary control.tar.xz"
     " && ar rc extra.deb debian-binary control.tar.xz data.tar.xz debian-binary"
     " && ar rc datafirst.deb debian-binary data.tar.xz control.tar.xz");
  EXPECT_NE(deb_error_of(d + "/swapped.deb")
                .find("first member is 'control.tar.xz', expected 'debian-binary'"),
            std::string::npos);
  EXPECT_NE(deb_error_of(d + "/nodata.deb").find("data.tar member missing"), std::string::npos);
  EXPECT_NE(
      deb_error_of(d + "/extra.deb").find("unexpected member 'debian-binary' after data.tar.xz"),
      std::string::npos);
  EXPECT_NE(deb_error_of(d + "/datafirst.deb").find("second member is 'data.tar.xz'"),
            std::string::npos);
}

TEST(DebFile, RejectsAbsurdMemberSize) {
  TempDir tmp;
  std::string deb = build_deb(tmp.path(), "xz");
  std::string data = read_file(deb);
  // The size field of the first member header (offset 8 + 48) claims 9 GB.
  data.replace(8 + 48, 10, "9999999999");
  write_file_atomic(tmp.path() + "/big.deb", data);
  EXPECT_EQ(deb_error_of(tmp.path() + "/big.deb"),
            tmp.path() +
                "/big.deb: member 'debian-binary' claims 9999999999 bytes but the file is "
                "truncated or the size is absurd");
}

TEST(DebFile, RejectsBadFormatVersion) {
  TempDir tmp;
  std::string d = tmp.path();
  std::string deb = build_deb(d, "xz");
  sh("cd " + quote(d) + " && ar x " + quote(deb) +
     " && echo 3.0 > debian-binary && ar rc v3.deb debian-binary control.tar.xz data.tar.xz");
  EXPECT_NE(deb_error_of(d + "/v3.deb").find("unsupported format version '3.0"), std::string::npos);
}

}  // namespace
}  // namespace distill::debian
