#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "archive/compress.h"
#include "archive/tar_reader.h"
#include "archive/tar_writer.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"
#include "util/sha256.h"

namespace distill {

namespace {

TarEntry make(const std::string& path, TarEntry::Type type, uint32_t mode, uint32_t uid = 0,
              uint32_t gid = 0) {
  TarEntry e;
  e.path = path;
  e.type = type;
  e.mode = mode;
  e.uid = uid;
  e.gid = gid;
  e.mtime = 1700000000;
  return e;
}

const std::string kLongDir(120, 'd');  // > 100 chars: needs GNU long-name records
const std::string kLongName = "opt/" + kLongDir + "/" + std::string(150, 'f') + ".txt";
const std::string kLongTarget = "/usr/" + std::string(130, 't');

// Every entry type the image builder and package extraction produce.
std::string sample_tar() {
  StringSink sink;
  TarWriter w(sink);
  auto root = make("etc", TarEntry::Type::kDirectory, 0755);
  root.uname = "root";
  root.gname = "root";
  w.add(root);
  auto passwd = make("etc/passwd", TarEntry::Type::kFile, 0644);
  w.add(passwd, std::string_view("root:x:0:0:root:/root:/sbin/nologin\n"));
  auto su = make("usr/bin/su", TarEntry::Type::kFile, 04755);
  w.add(su, std::string_view("\x7f"
                             "ELF fake"));
  auto sg = make("usr/bin/wall", TarEntry::Type::kFile, 02755, 0, 5);
  sg.gname = "tty";
  w.add(sg, std::string_view("wall"));
  auto tmp = make("tmp", TarEntry::Type::kDirectory, 01777);
  w.add(tmp);
  auto home = make("home/nonroot", TarEntry::Type::kDirectory, 0700, 65532, 65532);
  home.uname = "nonroot";
  home.gname = "nonroot";
  w.add(home);
  auto sym = make("bin", TarEntry::Type::kSymlink, 0777);
  sym.link = "usr/bin";
  w.add(sym);
  auto hard = make("usr/bin/su2", TarEntry::Type::kHardlink, 04755);
  hard.link = "usr/bin/su";
  w.add(hard);
  auto lng = make(kLongName, TarEntry::Type::kFile, 0600, 1000, 1000);
  lng.uname = "someone";
  lng.gname = "staff";
  w.add(lng, std::string_view("long"));
  auto lsym = make("opt/" + kLongDir + "/link", TarEntry::Type::kSymlink, 0777);
  lsym.link = kLongTarget;
  w.add(lsym);
  auto chr = make("dev/null", TarEntry::Type::kCharDevice, 0666);
  chr.dev_major = 1;
  chr.dev_minor = 3;
  w.add(chr);
  auto blk = make("dev/loop0", TarEntry::Type::kBlockDevice, 0660, 0, 6);
  blk.dev_major = 7;
  blk.dev_minor = 0;
  w.add(blk);
  auto fifo = make("run/initctl", TarEntry::Type::kFifo, 0600);
  w.add(fifo);
  auto empty = make("etc/empty", TarEntry::Type::kFile, 0644);
  w.add(empty, std::string_view(""));
  w.finish();
  EXPECT_EQ(w.entries(), 14u);
  return sink.data();
}

std::vector<std::pair<TarEntry, std::string>> read_entries(const std::string& tar) {
  TarReader r(std::make_unique<StringSource>(tar), "test tar");
  std::vector<std::pair<TarEntry, std::string>> out;
  TarEntry e;
  while (r.next(e)) out.emplace_back(e, r.read_all_data());
  return out;
}

std::string write_temp(const TempDir& dir, const std::string& name, const std::string& data) {
  std::string p = join_path(dir.path(), name);
  write_file_atomic(p, data);
  return p;
}

}  // namespace

TEST(TarWriter, SameEntriesGiveSameBytes) {
  std::string a = sample_tar();
  std::string b = sample_tar();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size() % 512, 0u);
}

TEST(TarWriter, OutputChangesWithAnyField) {
  auto one = [](uint32_t mode, int64_t mtime, uint32_t uid, const std::string& data) {
    StringSink sink;
    TarWriter w(sink);
    auto e = make("f", TarEntry::Type::kFile, mode, uid);
    e.mtime = mtime;
    w.add(e, data);
    w.finish();
    return sha256_hex(sink.data());
  };
  std::string base = one(0644, 1, 0, "x");
  EXPECT_EQ(base, one(0644, 1, 0, "x"));
  EXPECT_NE(base, one(0755, 1, 0, "x"));
  EXPECT_NE(base, one(0644, 2, 0, "x"));
  EXPECT_NE(base, one(0644, 1, 7, "x"));
  EXPECT_NE(base, one(0644, 1, 0, "y"));
}

TEST(TarWriter, NoAtimeCtimeOrPaxNoise) {
  std::string tar = sample_tar();
  // pax extended headers would carry atime/ctime or process-specific names.
  EXPECT_EQ(tar.find("PaxHeader"), std::string::npos);
  EXPECT_EQ(tar.find("atime="), std::string::npos);
  EXPECT_EQ(tar.find("ctime="), std::string::npos);
  // GNU long-name records for the >100-char names.
  EXPECT_NE(tar.find("././@LongLink"), std::string::npos);
}

TEST(TarWriter, RoundTripThroughTarReader) {
  auto entries = read_entries(sample_tar());
  ASSERT_EQ(entries.size(), 14u);
  std::map<std::string, std::pair<TarEntry, std::string>> by;
  for (auto& e : entries) by[e.first.path] = e;

  auto& etc = by.at("etc").first;
  EXPECT_EQ(etc.type, TarEntry::Type::kDirectory);
  EXPECT_EQ(etc.mode, 0755u);
  EXPECT_EQ(etc.uname, "root");
  EXPECT_EQ(etc.mtime, 1700000000);

  EXPECT_EQ(by.at("etc/passwd").second, "root:x:0:0:root:/root:/sbin/nologin\n");
  EXPECT_EQ(by.at("etc/passwd").first.size, 36u);
  EXPECT_EQ(by.at("usr/bin/su").first.mode, 04755u);
  EXPECT_EQ(by.at("usr/bin/wall").first.mode, 02755u);
  EXPECT_EQ(by.at("usr/bin/wall").first.gid, 5u);
  EXPECT_EQ(by.at("usr/bin/wall").first.gname, "tty");
  EXPECT_EQ(by.at("tmp").first.mode, 01777u);

  auto& home = by.at("home/nonroot").first;
  EXPECT_EQ(home.uid, 65532u);
  EXPECT_EQ(home.gid, 65532u);
  EXPECT_EQ(home.uname, "nonroot");
  EXPECT_EQ(home.gname, "nonroot");
  EXPECT_EQ(home.mode, 0700u);

  EXPECT_EQ(by.at("bin").first.type, TarEntry::Type::kSymlink);
  EXPECT_EQ(by.at("bin").first.link, "usr/bin");
  EXPECT_EQ(by.at("usr/bin/su2").first.type, TarEntry::Type::kHardlink);
  EXPECT_EQ(by.at("usr/bin/su2").first.link, "usr/bin/su");

  auto& lng = by.at(kLongName);
  EXPECT_EQ(lng.second, "long");
  EXPECT_EQ(lng.first.uid, 1000u);
  EXPECT_EQ(lng.first.uname, "someone");
  EXPECT_EQ(lng.first.gname, "staff");
  EXPECT_EQ(by.at("opt/" + kLongDir + "/link").first.link, kLongTarget);

  EXPECT_EQ(by.at("dev/null").first.type, TarEntry::Type::kCharDevice);
  EXPECT_EQ(by.at("dev/null").first.dev_major, 1u);
  EXPECT_EQ(by.at("dev/null").first.dev_minor, 3u);
  EXPECT_EQ(by.at("dev/loop0").first.type, TarEntry::Type::kBlockDevice);
  EXPECT_EQ(by.at("dev/loop0").first.dev_major, 7u);
  EXPECT_EQ(by.at("run/initctl").first.type, TarEntry::Type::kFifo);
  EXPECT_EQ(by.at("etc/empty").first.size, 0u);
  EXPECT_EQ(by.at("etc/empty").second, "");
}

TEST(TarWriter, EntryOrderIsKept) {
  auto entries = read_entries(sample_tar());
  std::vector<std::string> paths;
  for (auto& e : entries) paths.push_back(e.first.path);
  EXPECT_EQ(paths[0], "etc");
  EXPECT_EQ(paths[1], "etc/passwd");
  EXPECT_EQ(paths[2], "usr/bin/su");
  EXPECT_EQ(paths.back(), "etc/empty");
}

// GNU tar is an independent reader: it must see the same names, modes and owners.
TEST(TarWriter, GnuTarAgrees) {
  if (find_program("tar").empty()) GTEST_SKIP() << "tar not installed";
  TempDir dir;
  std::string path = write_temp(dir, "t.tar", sample_tar());
  auto r = run_process({"tar", "--numeric-owner", "-tvf", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("-rwsr-xr-x 0/0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("drwxrwxrwt 0/0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("drwx------ 65532/65532"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("usr/bin/su2 link to usr/bin/su"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bin -> usr/bin"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(kLongName), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2023-11-14"), std::string::npos) << r.out;  // mtime 1700000000
  auto names = run_process({"tar", "-tvf", path});
  EXPECT_NE(names.out.find("someone/staff"), std::string::npos) << names.out;
}

TEST(TarWriter, ShortDataIsAnError) {
  StringSink sink;
  TarWriter w(sink);
  auto e = make("f", TarEntry::Type::kFile, 0644);
  e.size = 10;
  StringSource src("abc");
  EXPECT_THROW(w.add(e, &src), Error);
}

TEST(TarWriter, SinkErrorPropagates) {
  struct FailingSink : ByteSink {
    void write(const void*, size_t) override { throw Error("disk full"); }
  } sink;
  try {
    TarWriter w(sink);
    w.add(make("f", TarEntry::Type::kFile, 0644), std::string(100000, 'x'));
    w.finish();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("disk full"), std::string::npos) << e.what();
  }
}

TEST(TarReader, ReadsCompressedStreams) {
  std::string tar = sample_tar();
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    StringSink out;
    auto comp = make_compressor(c, out);
    comp->write(tar.data(), tar.size());
    comp->finish();
    TarReader r(std::make_unique<StringSource>(out.data()), "compressed");
    TarEntry e;
    size_t n = 0;
    while (r.next(e)) ++n;
    EXPECT_EQ(n, 14u) << compression_name(c);
  }
}

TEST(TarReader, RootEntryHasEmptyPath) {
  StringSink sink;
  TarWriter w(sink);
  TarEntry root = make("", TarEntry::Type::kDirectory, 0755);
  root.path = ".";
  w.add(root);
  w.finish();
  TarReader r(std::make_unique<StringSource>(sink.data()), "t");
  TarEntry e;
  ASSERT_TRUE(r.next(e));
  EXPECT_EQ(e.path, "");
  EXPECT_FALSE(r.next(e));
}

TEST(TarReader, EscapingEntryIsAnError) {
  StringSink sink;
  TarWriter w(sink);
  w.add(make("../evil", TarEntry::Type::kFile, 0644), std::string_view("x"));
  w.finish();
  TarReader r(std::make_unique<StringSource>(sink.data()), "crafted.tar");
  TarEntry e;
  try {
    r.next(e);
    FAIL() << "no error";
  } catch (const Error& err) {
    EXPECT_NE(std::string(err.what()).find("crafted.tar"), std::string::npos) << err.what();
  }
}

TEST(TarReader, EscapingHardlinkTargetIsAnError) {
  StringSink sink;
  TarWriter w(sink);
  auto h = make("x", TarEntry::Type::kHardlink, 0644);
  h.link = "../../etc/shadow";
  w.add(h);
  w.finish();
  TarReader r(std::make_unique<StringSource>(sink.data()), "t");
  TarEntry e;
  EXPECT_THROW(r.next(e), Error);
}

TEST(TarReader, TruncatedTarIsAnError) {
  std::string tar = sample_tar();
  // Cut inside the long-name file's data and inside a header.
  for (size_t cut : {size_t{700}, size_t{1100}, tar.size() / 2, tar.size() - 1500}) {
    std::string part = tar.substr(0, cut);
    EXPECT_THROW(
        {
          TarReader r(std::make_unique<StringSource>(part), "cut");
          TarEntry e;
          while (r.next(e)) r.read_all_data();
        },
        Error)
        << "cut at " << cut;
  }
}

TEST(TarReader, GarbageIsAnError) {
  std::string junk(4096, '\0');
  for (size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919) % 251 + 1);
  EXPECT_THROW(
      {
        TarReader r(std::make_unique<StringSource>(junk), "junk");
        TarEntry e;
        while (r.next(e)) r.read_all_data();
      },
      Error);
}

TEST(TarReader, CorruptHeaderChecksumIsAnError) {
  std::string tar = sample_tar();
  tar[512 + 10] ^= 0x55;  // inside the second header's name: checksum no longer matches
  EXPECT_THROW(
      {
        TarReader r(std::make_unique<StringSource>(tar), "bad");
        TarEntry e;
        while (r.next(e)) r.read_all_data();
      },
      Error);
}

TEST(TarReader, TruncatedGzipTarIsAnError) {
  std::string tar = sample_tar();
  StringSink out;
  auto comp = make_compressor(Compression::kGzip, out);
  comp->write(tar.data(), tar.size());
  comp->finish();
  std::string gz = out.data().substr(0, out.data().size() / 2);
  EXPECT_THROW(
      {
        TarReader r(std::make_unique<StringSource>(gz), "cut.tar.gz");
        TarEntry e;
        while (r.next(e)) r.read_all_data();
      },
      Error);
}

TEST(TarReader, SourceErrorPropagates) {
  struct FailingSource : ByteSource {
    size_t read(void*, size_t) override { throw Error("network dropped"); }
  };
  try {
    TarReader r(std::make_unique<FailingSource>(), "t");
    TarEntry e;
    r.next(e);
    FAIL() << "no error";
  } catch (const Error& err) {
    EXPECT_NE(std::string(err.what()).find("network dropped"), std::string::npos) << err.what();
  }
}

}  // namespace distill
