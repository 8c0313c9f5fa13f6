// glibc's /etc/ld.so.cache, new format only ("glibc-ld.so.cache1.1"), as
// ldconfig writes it: a 48-byte header, 24-byte entries, a tail-merged string
// table and an extension block naming the generator. The dynamic loader
// binary-searches the entries, so their order (ldconfig's sort) is part of
// the format, not cosmetics.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace distill::elf {

// Entry flags (glibc sysdeps/generic/ldconfig.h): the low byte is the
// library type, the high byte the ABI the object requires.
inline constexpr int32_t kCacheFlagElf = 0x0001;
inline constexpr int32_t kCacheFlagLibc5 = 0x0002;
inline constexpr int32_t kCacheFlagLibc6 = 0x0003;
inline constexpr int32_t kCacheFlagIa64 = 0x0200;
inline constexpr int32_t kCacheFlagX8664 = 0x0300;
inline constexpr int32_t kCacheFlagS390x = 0x0400;
inline constexpr int32_t kCacheFlagPowerpc64 = 0x0500;
inline constexpr int32_t kCacheFlagX32 = 0x0800;
inline constexpr int32_t kCacheFlagArmHardFloat = 0x0900;
inline constexpr int32_t kCacheFlagAarch64 = 0x0a00;
inline constexpr int32_t kCacheFlagArmSoftFloat = 0x0b00;
inline constexpr int32_t kCacheFlagRiscvSoft = 0x0f00;
inline constexpr int32_t kCacheFlagRiscvDouble = 0x1000;

struct CacheEntry {
  std::string soname;  // the key the loader looks up, e.g. "libssl.so.3"
  std::string path;    // e.g. "/lib/x86_64-linux-gnu/libssl.so.3"
  int32_t flags = 0;
  uint64_t hwcap = 0;  // 0 for every entry outside glibc-hwcaps subdirectories
  bool operator==(const CacheEntry&) const = default;
};

struct LdCache {
  std::vector<CacheEntry> entries;  // in file order
  std::string generator;            // extension tag 0, "" when absent
  bool big_endian = false;
};

// glibc's _dl_cache_libcmp: like strcmp, but runs of digits compare as
// numbers and a digit sorts after any other character. `signed_char` is the
// signedness of `char` on the architecture whose ldconfig is emulated (x86:
// signed; arm, riscv, s390x, powerpc: unsigned); it matters only for bytes
// >= 0x80.
int cache_libcmp(std::string_view a, std::string_view b, bool signed_char = true);

// Orders `entries` as ldconfig does: soname descending by cache_libcmp, then
// flags descending; entries that compare equal keep their order (ldconfig
// inserts each new entry after its equals, so the first directory's copy of a
// soname is found first).
void sort_cache_entries(std::vector<CacheEntry>& entries, bool signed_char = true);

// Serialises entries in the order given (sort them first) with ldconfig's
// string-table layout, so that the bytes equal ldconfig's for equal input.
std::string serialize_ld_cache(const LdCache& cache);

// Parses a new-format cache. Throws distill::Error naming `what` when the
// data is not a new-format cache or an offset points outside it.
LdCache parse_ld_cache(std::string_view data, const std::string& what);

}  // namespace distill::elf
