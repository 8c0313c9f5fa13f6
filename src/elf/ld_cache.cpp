#include "elf/ld_cache.h"

#include <algorithm>
#include <map>

#include "util/error.h"

namespace distill::elf {

namespace {

constexpr std::string_view kMagic = "glibc-ld.so.cache1.1";
constexpr size_t kHeaderSize = 48;
constexpr size_t kEntrySize = 24;
constexpr uint32_t kExtensionMagic = 0xeaa42174;
constexpr uint32_t kTagGenerator = 0;
// The header's flags byte: 2 = little-endian, 3 = big-endian, 0 = unknown.
constexpr uint8_t kEndianLittle = 2, kEndianBig = 3;

class Writer {
 public:
  explicit Writer(bool big) : big_(big) {}
  void put(uint64_t v, size_t width) {
    for (size_t i = 0; i < width; ++i) {
      size_t shift = 8 * (big_ ? width - 1 - i : i);
      // Fields wider than 8 bytes (the zeroed hwcap pair) have no bits up there.
      out_.push_back(shift < 64 ? static_cast<char>((v >> shift) & 0xff) : '\0');
    }
  }
  void bytes(std::string_view s) { out_.append(s); }
  std::string& str() { return out_; }

 private:
  bool big_;
  std::string out_;
};

uint64_t get(std::string_view b, size_t off, size_t width, bool big) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) {
    uint64_t byte = static_cast<unsigned char>(b[off + i]);
    size_t shift = 8 * (big ? width - 1 - i : i);
    if (shift < 64) v |= byte << shift;
  }
  return v;
}

// ldconfig's string-table order: strings sorted by their reversed bytes,
// descending, a string before its own suffixes, so that each suffix can share
// the tail of the string just before it.
bool tail_merge_before(std::string_view l, std::string_view r) {
  size_t n = std::min(l.size(), r.size());
  for (size_t i = 1; i <= n; ++i) {
    unsigned char lc = l[l.size() - i], rc = r[r.size() - i];
    if (lc != rc) return lc > rc;
  }
  return l.size() > r.size();
}

struct StringTable {
  std::map<std::string, uint32_t> offset;
  std::string data;
};

StringTable build_string_table(const std::vector<CacheEntry>& entries) {
  std::vector<std::string> strings;
  for (const auto& e : entries) {
    strings.push_back(e.soname);
    strings.push_back(e.path);
  }
  std::sort(strings.begin(), strings.end());
  strings.erase(std::unique(strings.begin(), strings.end()), strings.end());
  std::sort(strings.begin(), strings.end(), tail_merge_before);
  StringTable t;
  const std::string* prev = nullptr;
  uint32_t prev_off = 0;
  for (const auto& s : strings) {
    uint32_t off;
    if (prev && prev->size() >= s.size() &&
        std::string_view(*prev).substr(prev->size() - s.size()) == s) {
      off = prev_off + static_cast<uint32_t>(prev->size() - s.size());
    } else {
      off = static_cast<uint32_t>(t.data.size());
      t.data.append(s);
      t.data.push_back('\0');
    }
    t.offset[s] = off;
    prev = &s;
    prev_off = off;
  }
  return t;
}

std::string c_string_at(std::string_view data, uint64_t off, const std::string& what) {
  if (off >= data.size())
    throw Error(what + ": string offset " + std::to_string(off) + " is outside the cache (" +
                std::to_string(data.size()) + " bytes)");
  size_t nul = data.find('\0', off);
  if (nul == std::string_view::npos) throw Error(what + ": unterminated string in the cache");
  return std::string(data.substr(off, nul - off));
}

std::string parse_generator(std::string_view data, uint64_t ext, bool big) {
  if (ext == 0 || ext % 4 != 0 || ext + 8 > data.size()) return "";
  if (get(data, ext, 4, big) != kExtensionMagic) return "";
  uint64_t count = get(data, ext + 4, 4, big);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t s = ext + 8 + 16 * i;
    if (s + 16 > data.size()) return "";
    uint64_t off = get(data, s + 8, 4, big), size = get(data, s + 12, 4, big);
    if (get(data, s, 4, big) == kTagGenerator && off + size <= data.size())
      return std::string(data.substr(off, size));
  }
  return "";
}

}  // namespace

int cache_libcmp(std::string_view a, std::string_view b, bool signed_char) {
  // Mirrors the loader's comparison exactly, NUL terminator included, since
  // the loader binary-searches with it.
  auto at = [signed_char](std::string_view s, size_t i) -> int {
    if (i >= s.size()) return 0;
    return signed_char ? static_cast<signed char>(s[i]) : static_cast<unsigned char>(s[i]);
  };
  auto digit = [](int c) { return c >= '0' && c <= '9'; };
  size_t i = 0, j = 0;
  while (at(a, i) != 0) {
    int c1 = at(a, i), c2 = at(b, j);
    if (digit(c1)) {
      if (!digit(c2)) return 1;
      // glibc accumulates in int; wrap the same way on absurdly long runs.
      uint32_t v1 = 0, v2 = 0;
      while (digit(at(a, i))) v1 = v1 * 10 + static_cast<uint32_t>(at(a, i++) - '0');
      while (digit(at(b, j))) v2 = v2 * 10 + static_cast<uint32_t>(at(b, j++) - '0');
      if (v1 != v2) return static_cast<int32_t>(v1 - v2);
    } else if (digit(c2)) {
      return -1;
    } else if (c1 != c2) {
      return c1 - c2;
    } else {
      ++i;
      ++j;
    }
  }
  return at(a, i) - at(b, j);
}

void sort_cache_entries(std::vector<CacheEntry>& entries, bool signed_char) {
  // ldconfig's compare(e1, e2) > 0 means e1 goes after e2.
  auto compare = [signed_char](const CacheEntry& e1, const CacheEntry& e2) {
    int res = cache_libcmp(e2.soname, e1.soname, signed_char);
    if (res != 0) return res;
    if (e1.flags != e2.flags) return e1.flags < e2.flags ? 1 : -1;
    return 0;
  };
  // Insertion exactly as ldconfig does it (before the first entry that
  // compares greater), so that libcmp's ties and quirks order entries the
  // same way; the lists are small.
  std::vector<CacheEntry> sorted;
  sorted.reserve(entries.size());
  for (auto& e : entries) {
    auto pos = std::find_if(sorted.begin(), sorted.end(),
                            [&](const CacheEntry& p) { return compare(p, e) > 0; });
    sorted.insert(pos, std::move(e));
  }
  entries = std::move(sorted);
}

std::string serialize_ld_cache(const LdCache& cache) {
  StringTable table = build_string_table(cache.entries);
  uint32_t base = static_cast<uint32_t>(kHeaderSize + kEntrySize * cache.entries.size());
  uint32_t ext_off = (base + static_cast<uint32_t>(table.data.size()) + 3) & ~3u;
  Writer w(cache.big_endian);
  w.bytes(kMagic);
  w.put(cache.entries.size(), 4);
  w.put(table.data.size(), 4);
  w.put(cache.big_endian ? kEndianBig : kEndianLittle, 1);
  w.put(0, 3);
  w.put(ext_off, 4);
  w.put(0, 12);
  for (const auto& e : cache.entries) {
    w.put(static_cast<uint32_t>(e.flags), 4);
    w.put(base + table.offset.at(e.soname), 4);
    w.put(base + table.offset.at(e.path), 4);
    w.put(0, 4);  // osversion, unused since glibc 2.37
    w.put(e.hwcap, 8);
  }
  w.bytes(table.data);
  w.str().resize(ext_off, '\0');
  // One section (the generator); ldconfig adds a glibc-hwcaps section only
  // when such subdirectories exist.
  w.put(kExtensionMagic, 4);
  w.put(1, 4);
  w.put(kTagGenerator, 4);
  w.put(0, 4);
  w.put(ext_off + 8 + 16, 4);
  w.put(cache.generator.size(), 4);
  w.bytes(cache.generator);
  return std::move(w.str());
}

LdCache parse_ld_cache(std::string_view data, const std::string& what) {
  if (data.size() < kHeaderSize || data.substr(0, kMagic.size()) != kMagic)
    throw Error(what + ": not a glibc ld.so.cache in the new format (" + std::string(kMagic) + ")");
  LdCache cache;
  uint8_t endian = static_cast<uint8_t>(data[28]) & 3;
  if (endian == 1) throw Error(what + ": ld.so.cache header has an invalid endianness flag");
  cache.big_endian = endian == kEndianBig;
  bool big = cache.big_endian;
  uint64_t nlibs = get(data, 20, 4, big);
  if (nlibs > (data.size() - kHeaderSize) / kEntrySize)
    throw Error(what + ": ld.so.cache claims " + std::to_string(nlibs) +
                " entries, more than its size holds");
  for (uint64_t i = 0; i < nlibs; ++i) {
    size_t o = kHeaderSize + kEntrySize * i;
    CacheEntry e;
    e.flags = static_cast<int32_t>(get(data, o, 4, big));
    e.soname = c_string_at(data, get(data, o + 4, 4, big), what);
    e.path = c_string_at(data, get(data, o + 8, 4, big), what);
    e.hwcap = get(data, o + 16, 8, big);
    cache.entries.push_back(std::move(e));
  }
  cache.generator = parse_generator(data, get(data, 32, 4, big), big);
  return cache;
}

}  // namespace distill::elf
