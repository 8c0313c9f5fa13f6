#include "debian/index_file.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <tuple>

#include "debian/deb822.h"
#include "debian/package_index.h"
#include "util/error.h"
#include "util/read_at.h"
#include "util/sha256.h"

namespace distill::debian {

namespace {

constexpr char kIndexMagic[8] = {'D', 'S', 'T', 'I', 'D', 'X', '0', '1'};

struct IndexHeader {
  char magic[8];
  uint32_t records, names, provides, unused;
  uint64_t pool_size, text_size;
  char sha256[64];  // hex, of the header up to here, then pool and tables
};
struct IndexRecord {
  uint64_t offset;
  uint32_t length, unused;
  uint64_t fnv;
};
struct IndexName {
  uint32_t pool_offset, length, record;
};

// FNV-1a: a cheap checksum of each paragraph, checked when it is read.
uint64_t index_fnv(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

template <typename T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
T get_at(const std::string& bytes, uint64_t at) {
  T v;
  std::memcpy(&v, bytes.data() + at, sizeof v);
  return v;
}

std::string header_digest(const IndexHeader& h, std::string_view rest) {
  Sha256 s;
  s.update(std::string_view(reinterpret_cast<const char*>(&h), offsetof(IndexHeader, sha256)));
  s.update(rest);
  return s.hex();
}

struct IndexNameRow {
  std::string name;
  uint32_t record;
};

std::string name_table(std::vector<IndexNameRow>& rows, std::string& pool) {
  std::sort(rows.begin(), rows.end(), [](const IndexNameRow& a, const IndexNameRow& b) {
    return std::tie(a.name, a.record) < std::tie(b.name, b.record);
  });
  rows.erase(std::unique(rows.begin(), rows.end(),
                         [](const IndexNameRow& a, const IndexNameRow& b) {
                           return a.name == b.name && a.record == b.record;
                         }),
             rows.end());
  std::string out;
  for (const auto& r : rows) {
    put(out, IndexName{static_cast<uint32_t>(pool.size()), static_cast<uint32_t>(r.name.size()),
                       r.record});
    pool += r.name;
  }
  return out;
}

}  // namespace

std::string IndexFile::build(std::string_view text, const std::string& where) {
  std::vector<IndexNameRow> names, provides;
  std::string records;
  Deb822Parser parser(text, where);
  Deb822Paragraph para;
  uint32_t n = 0;
  while (parser.next(para)) {
    std::vector<Relation> provided;
    Package p = parse_package(para, PackageOrigin{}, where, &provided);
    std::string_view body = para.text();
    put(records, IndexRecord{static_cast<uint64_t>(body.data() - text.data()),
                             static_cast<uint32_t>(body.size()), 0, index_fnv(body)});
    names.push_back({std::move(p.name), n});
    for (auto& r : provided) provides.push_back({std::move(r.name), n});
    ++n;
  }
  std::string pool;
  std::string name_rows = name_table(names, pool);
  std::string provide_rows = name_table(provides, pool);
  IndexHeader h{};
  std::memcpy(h.magic, kIndexMagic, sizeof h.magic);
  h.records = n;
  h.names = static_cast<uint32_t>(names.size());
  h.provides = static_cast<uint32_t>(provides.size());
  h.pool_size = pool.size();
  h.text_size = text.size();
  std::string rest = pool + records + name_rows + provide_rows;
  std::string digest = header_digest(h, rest);
  std::memcpy(h.sha256, digest.data(), sizeof h.sha256);
  std::string out;
  out.reserve(sizeof h + rest.size() + text.size());
  put(out, h);
  out += rest;
  out += text;
  return out;
}

std::shared_ptr<const IndexFile> IndexFile::parse_tables(std::shared_ptr<IndexFile> f) {
  auto corrupt = [&](const std::string& why) {
    return Error(ErrorKind::kIntegrity, f->where_ + ": not a valid index cache file (" + why + ")");
  };
  if (f->tables_.size() < sizeof(IndexHeader)) throw corrupt("truncated header");
  IndexHeader h = get_at<IndexHeader>(f->tables_, 0);
  if (std::memcmp(h.magic, kIndexMagic, sizeof h.magic) != 0) throw corrupt("bad magic");
  uint64_t rest = h.pool_size + uint64_t{h.records} * sizeof(IndexRecord) +
                  (uint64_t{h.names} + h.provides) * sizeof(IndexName);
  if (f->tables_.size() != sizeof h + rest) throw corrupt("truncated tables");
  std::string digest = header_digest(h, std::string_view(f->tables_).substr(sizeof h));
  if (digest != std::string_view(h.sha256, sizeof h.sha256)) throw corrupt("checksum mismatch");
  f->records_ = h.records;
  f->names_ = h.names;
  f->provides_ = h.provides;
  f->records_at_ = sizeof h + h.pool_size;
  f->names_at_ = f->records_at_ + uint64_t{h.records} * sizeof(IndexRecord);
  f->provides_at_ = f->names_at_ + uint64_t{h.names} * sizeof(IndexName);
  f->text_size_ = h.text_size;
  f->text_offset_ = f->tables_.size();
  for (uint32_t r = 0; r < h.records; ++r) {
    auto rec = get_at<IndexRecord>(f->tables_, f->records_at_ + uint64_t{r} * sizeof(IndexRecord));
    if (rec.offset + rec.length > h.text_size) throw corrupt("record past the text");
  }
  return f;
}

std::shared_ptr<const IndexFile> IndexFile::open(const std::string& path) {
  auto f = std::shared_ptr<IndexFile>(new IndexFile());
  f->where_ = path;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno("cannot open", path);
  f->fd_ = Fd(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) throw_errno("cannot stat", path);
  std::string head = read_at(fd, 0, sizeof(IndexHeader), path);
  if (head.size() < sizeof(IndexHeader))
    throw Error(ErrorKind::kIntegrity, path + ": not a valid index cache file (truncated)");
  IndexHeader h = get_at<IndexHeader>(head, 0);
  uint64_t tables = sizeof h + h.pool_size + uint64_t{h.records} * sizeof(IndexRecord) +
                    (uint64_t{h.names} + h.provides) * sizeof(IndexName);
  if (tables + h.text_size != static_cast<uint64_t>(st.st_size))
    throw Error(ErrorKind::kIntegrity, path + ": not a valid index cache file (wrong size)");
  f->tables_ = read_at(fd, 0, tables, path);
  return parse_tables(std::move(f));
}

std::shared_ptr<const IndexFile> IndexFile::from_bytes(std::string bytes,
                                                       const std::string& where) {
  auto f = std::shared_ptr<IndexFile>(new IndexFile());
  f->where_ = where;
  if (bytes.size() < sizeof(IndexHeader))
    throw Error(ErrorKind::kIntegrity, where + ": not a valid index cache file (truncated)");
  uint64_t text = get_at<IndexHeader>(bytes, 0).text_size;
  if (text > bytes.size())
    throw Error(ErrorKind::kIntegrity, where + ": not a valid index cache file (wrong size)");
  f->text_ = bytes.substr(bytes.size() - text);
  bytes.resize(bytes.size() - text);
  f->tables_ = std::move(bytes);
  return parse_tables(std::move(f));
}

std::vector<uint32_t> IndexFile::lookup(uint64_t table, uint32_t count,
                                        std::string_view name) const {
  auto row = [&](uint32_t i) { return get_at<IndexName>(tables_, table + i * sizeof(IndexName)); };
  auto name_of = [&](const IndexName& n) {
    return std::string_view(tables_).substr(sizeof(IndexHeader) + n.pool_offset, n.length);
  };
  uint32_t lo = 0, hi = count;
  while (lo < hi) {  // first row whose name is not less than `name`
    uint32_t mid = lo + (hi - lo) / 2;
    if (name_of(row(mid)) < name)
      lo = mid + 1;
    else
      hi = mid;
  }
  std::vector<uint32_t> out;
  for (uint32_t i = lo; i < count; ++i) {
    IndexName n = row(i);
    if (name_of(n) != name) break;
    out.push_back(n.record);
  }
  return out;
}

std::vector<uint32_t> IndexFile::named(std::string_view name) const {
  return lookup(names_at_, names_, name);
}

std::vector<uint32_t> IndexFile::providing(std::string_view name) const {
  return lookup(provides_at_, provides_, name);
}

std::string IndexFile::paragraph(uint32_t r) const {
  if (r >= records_) throw Error(where_ + ": no record " + std::to_string(r));
  auto rec = get_at<IndexRecord>(tables_, records_at_ + uint64_t{r} * sizeof(IndexRecord));
  std::string text = fd_ ? read_at(fd_.get(), text_offset_ + rec.offset, rec.length, where_)
                         : text_.substr(rec.offset, rec.length);
  if (text.size() != rec.length || index_fnv(text) != rec.fnv) {
    throw Error(ErrorKind::kIntegrity,
                where_ + ": record " + std::to_string(r) + " does not match its checksum");
  }
  return text;
}

}  // namespace distill::debian
