#include "debian/release.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <memory>
#include <sstream>

#include "util/error.h"
#include "util/handles.h"
#include "util/strings.h"

namespace distill::debian {

namespace {

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) ||
        std::isupper(static_cast<unsigned char>(c)))
      return false;
  }
  return true;
}

}  // namespace

int64_t parse_release_date(std::string_view value, const std::string& where) {
  std::string v(trim(value));
  std::tm tm{};
  // "Sat, 10 Jun 2023 08:58:12 UTC"; the weekday is optional in RFC 2822.
  const char* p = v.c_str();
  if (const char* comma = std::strchr(p, ',')) p = comma + 1;
  const char* rest = strptime(p, " %d %b %Y %H:%M:%S", &tm);
  if (!rest) throw Error(where + ": cannot parse date '" + v + "'");
  std::string zone(trim(rest));
  int64_t offset = 0;
  if (zone.empty() || zone == "UTC" || zone == "GMT" || zone == "Z") {
    offset = 0;
  } else if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 5 &&
             std::all_of(zone.begin() + 1, zone.end(),
                         [](char c) { return c >= '0' && c <= '9'; })) {
    int hh = (zone[1] - '0') * 10 + (zone[2] - '0'), mm = (zone[3] - '0') * 10 + (zone[4] - '0');
    offset = (zone[0] == '+' ? 1 : -1) * (hh * 3600 + mm * 60);
  } else {
    throw Error(where + ": unsupported time zone in date '" + v + "'");
  }
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

Release parse_release(std::string_view text, const std::string& where) {
  Release r;
  std::istringstream in{std::string(text)};
  std::string line, field;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) {
      // A Release file is one paragraph; a blank line ends it.
      if (lineno > 1) break;
      continue;
    }
    std::string loc = where + ":" + std::to_string(lineno);
    if (line[0] == ' ' || line[0] == '\t') {
      if (field == "SHA256") {
        auto w = words(line);
        if (w.size() != 3 || !is_hex64(w[0]))
          throw Error(loc + ": malformed SHA256 line '" + std::string(trim(line)) + "'");
        ReleaseEntry e;
        e.sha256 = w[0];
        try {
          e.size = std::stoull(w[1]);
        } catch (const std::exception&) {
          throw Error(loc + ": bad size '" + w[1] + "'");
        }
        e.path = w[2];
        if (e.path.find("..") != std::string::npos || e.path.starts_with("/"))
          throw Error(loc + ": refusing path '" + e.path + "'");
        r.sha256[e.path] = e;
      }
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) throw Error(loc + ": expected 'Field: value'");
    field = line.substr(0, colon);
    std::string value(trim(line.substr(colon + 1)));
    if (field == "Origin") r.origin = value;
    if (field == "Label") r.label = value;
    if (field == "Suite") r.suite = value;
    if (field == "Codename") r.codename = value;
    if (field == "Date") {
      r.date = value;
      r.date_epoch = parse_release_date(value, loc);
    }
    if (field == "Valid-Until") {
      r.valid_until = value;
      r.valid_until_epoch = parse_release_date(value, loc);
    }
    if (field == "Acquire-By-Hash") r.acquire_by_hash = value == "yes";
    if (field == "Architectures") r.architectures = words(value);
    if (field == "Components") r.components = words(value);
  }
  if (r.sha256.empty())
    throw Error(where + ": no SHA256 file list (refusing unverifiable Release)");
  return r;
}

void check_valid_until(const Release& release, int64_t now, const std::string& where) {
  if (release.valid_until_epoch != 0 && now > release.valid_until_epoch)
    throw Error(where + ": Release expired: Valid-Until is " + release.valid_until +
                " (the repository is stale or the clock is wrong)");
}

const ReleaseEntry* find_packages(const Release& release, const std::string& component,
                                  const std::string& arch) {
  std::string base = component + "/binary-" + arch + "/Packages";
  for (const char* ext : {".xz", ".gz", ""}) {
    auto it = release.sha256.find(base + ext);
    if (it != release.sha256.end()) return &it->second;
  }
  return nullptr;
}

const ReleaseEntry* find_contents(const Release& release, const std::string& component,
                                  const std::string& arch) {
  for (const std::string& base : {component + "/Contents-" + arch, "Contents-" + arch}) {
    for (const char* ext : {".xz", ".gz", ""}) {
      auto it = release.sha256.find(base + ext);
      if (it != release.sha256.end()) return &it->second;
    }
  }
  return nullptr;
}

std::string decompress_index(const std::string& data, const std::string& where) {
  ArchiveReadPtr a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_raw(a.get());
  archive_read_support_format_empty(a.get());
  if (archive_read_open_memory(a.get(), data.data(), data.size()) != ARCHIVE_OK)
    throw Error(where + ": cannot decompress: " + archive_error_string(a.get()));
  archive_entry* e;
  int r = archive_read_next_header(a.get(), &e);
  if (r == ARCHIVE_EOF) return "";
  if (r != ARCHIVE_OK) throw Error(where + ": cannot decompress: " + archive_error_string(a.get()));
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    la_ssize_t n = archive_read_data(a.get(), buf, sizeof buf);
    if (n < 0) throw Error(where + ": cannot decompress: " + archive_error_string(a.get()));
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace distill::debian
