// Release files (the signed text of InRelease): suite metadata and the
// SHA-256 list every index file is checked against.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace distill::debian {

struct ReleaseEntry {
  std::string path;  // relative to dists/SUITE/, e.g. "main/binary-amd64/Packages.xz"
  uint64_t size = 0;
  std::string sha256;
};

struct Release {
  std::string origin, label, suite, codename;
  std::string date;         // verbatim, e.g. "Sat, 10 Jun 2023 08:58:12 UTC"
  std::string valid_until;  // verbatim, "" = none
  int64_t date_epoch = 0;
  int64_t valid_until_epoch = 0;  // 0 = none
  bool acquire_by_hash = false;
  std::vector<std::string> architectures, components;
  std::map<std::string, ReleaseEntry> sha256;  // by path
};

// Parses the signed Release text. `where` names it in errors.
Release parse_release(std::string_view text, const std::string& where);
// RFC 2822 dates as used by Release files; returns seconds since the epoch.
int64_t parse_release_date(std::string_view value, const std::string& where);
// Throws Error when `now` (seconds since the epoch) is past Valid-Until.
void check_valid_until(const Release& release, int64_t now, const std::string& where);
// The Packages index for component/binary-arch: .xz, then .gz, then plain.
// Returns nullptr when the Release does not list one.
const ReleaseEntry* find_packages(const Release& release, const std::string& component,
                                  const std::string& arch);
// The Contents index of component/arch: COMPONENT/Contents-ARCH(.gz|.xz|)
// as current suites publish it, else the older suite-level Contents-ARCH.gz.
// Returns nullptr when the Release lists none.
const ReleaseEntry* find_contents(const Release& release, const std::string& component,
                                  const std::string& arch);
// Decompresses xz/gz/bz2/zstd/uncompressed index data (libarchive filters).
std::string decompress_index(const std::string& data, const std::string& where);

}  // namespace distill::debian
