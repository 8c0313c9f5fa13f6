#include "debian/index_file.h"

#include <gtest/gtest.h>

#include "debian/package_index.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::debian {
namespace {

const char* kIndexText =
    "Package: libfoo1\n"
    "Version: 1.0-1\n"
    "Architecture: amd64\n"
    "Provides: foo-virtual, libfoo-abi (= 1)\n"
    "SHA256: aaaa\n"
    "\n"
    "Package: foo-tools\n"
    "Version: 1.0-1\n"
    "Architecture: amd64\n"
    "Provides: foo-virtual\n"
    "\n"
    "Package: libfoo1\n"
    "Version: 2.0-1\n"
    "Architecture: amd64\n"
    "Description: newer\n"
    " text\n";

TEST(IndexFile, RoundTripThroughAFileGivesTheSameLookups) {
  TempDir tmp;
  std::string path = join_path(tmp.path(), "x.idx1");
  write_file_atomic(path, IndexFile::build(kIndexText, "Packages"));
  auto f = IndexFile::open(path);
  EXPECT_EQ(f->records(), 3u);
  EXPECT_EQ(f->named("libfoo1"), (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(f->named("foo-tools"), (std::vector<uint32_t>{1}));
  EXPECT_TRUE(f->named("libfoo").empty());
  EXPECT_TRUE(f->named("zzz").empty());
  EXPECT_EQ(f->providing("foo-virtual"), (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(f->paragraph(2),
            "Package: libfoo1\nVersion: 2.0-1\nArchitecture: amd64\nDescription: newer\n text");

  PackageIndex from_file, from_text;
  PackageOrigin o{"file:///r", "s", "main", "r1"};
  from_file.add_file(f, o);
  from_text.add_packages(kIndexText, o, "Packages");
  EXPECT_EQ(from_file.parsed(), 0u);  // nothing is parsed until asked for
  const Package* c = from_file.candidate("libfoo1");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->version, "2.0-1");
  EXPECT_EQ(c->description, "newer\ntext");
  EXPECT_EQ(c->origin.suite, "s");
  EXPECT_EQ(from_file.parsed(), 2u);
  ASSERT_EQ(from_file.providers("foo-virtual").size(), 2u);
  EXPECT_EQ(from_file.providers("foo-virtual")[0]->name, "foo-tools");
  EXPECT_EQ(from_text.providers("foo-virtual")[0]->name, "foo-tools");
  EXPECT_EQ(from_file.size(), 3u);
}

TEST(IndexFile, MalformedParagraphFailsTheBuildNamingTheLine) {
  try {
    IndexFile::build("Package: a\nVersion: 1\nArchitecture: all\n\nVersion: 2\n", "P");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("P:5"), std::string::npos) << e.what();
  }
}

TEST(IndexFile, CorruptTablesAreDetectedOnOpen) {
  TempDir tmp;
  std::string path = join_path(tmp.path(), "x.idx1");
  std::string bytes = IndexFile::build(kIndexText, "Packages");
  std::string flipped = bytes;
  flipped[130] ^= 1;  // in the pool or tables, past the header
  write_file_atomic(path, flipped);
  try {
    IndexFile::open(path);
    FAIL() << "expected an integrity error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIntegrity);
  }
  write_file_atomic(path, bytes.substr(0, bytes.size() - 3));  // truncated
  EXPECT_THROW(IndexFile::open(path), Error);
  write_file_atomic(path, "not an index");
  EXPECT_THROW(IndexFile::open(path), Error);
}

TEST(IndexFile, CorruptParagraphIsRepairedThroughTheCallback) {
  TempDir tmp;
  std::string path = join_path(tmp.path(), "x.idx1");
  std::string bytes = IndexFile::build(kIndexText, "Packages");
  std::string broken = bytes;
  broken[broken.size() - 3] = 'X';  // in the last paragraph's text
  write_file_atomic(path, broken);
  auto f = IndexFile::open(path);  // the tables are fine
  EXPECT_THROW(f->paragraph(2), Error);
  EXPECT_EQ(f->paragraph(0).substr(0, 16), "Package: libfoo1");

  PackageIndex index;
  int repaired = 0;
  index.add_file(f, {}, [&] {
    ++repaired;
    write_file_atomic(path, bytes);
    return IndexFile::open(path);
  });
  const Package* c = index.candidate("libfoo1");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->version, "2.0-1");
  EXPECT_EQ(repaired, 1);

  // Without a way to repair it, the corruption is an error, not a wrong answer.
  write_file_atomic(path, broken);
  PackageIndex strict;
  strict.add_file(IndexFile::open(path), {});
  EXPECT_THROW(strict.candidate("libfoo1"), Error);
}

}  // namespace
}  // namespace distill::debian
