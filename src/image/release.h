// Debian releases as data: images/releases/NAME.yaml says what a release is
// (its codename, suites, components, os-release values, merged /usr and
// architectures), and a definition's `release: NAME` takes them. The family
// is written once per release on top of what all releases share, so adding
// a release is a data file and its image definitions, not code.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace distill {

struct Release {
  std::string path;                     // the file it came from
  std::string name;                     // "debian13", the file's NAME
  std::string version;                  // "13"; orders releases (the newest is the highest)
  std::string codename;                 // "trixie": what the host's Debian suites are renamed to
  std::vector<std::string> suites;      // trixie, trixie-updates, trixie-security
  std::vector<std::string> components;  // main
  // os-release keys the release sets (VERSION_ID, VERSION), in file order.
  std::vector<std::pair<std::string, std::string>> os_release;
  bool merged_usr = false;                 // base-files ships /bin -> usr/bin etc.
  std::vector<std::string> architectures;  // dpkg names the release is built for
  // unavailable: (optional) images the reference publishes for this release
  // that its packages cannot make, each with what to use instead; asking
  // for NAME-<release> says that rather than "unknown image".
  std::vector<std::pair<std::string, std::string>> unavailable;
};

// Loads one release file. Strict like definitions: an unknown key, a missing
// one or a bad value throws Error "FILE:LINE: message".
Release load_release_file(const std::string& path);

// The release NAME from the first `releases/NAME.yaml` in `search_dirs`.
// Throws Error naming `where` (the definition line that asked for it) and
// the known releases when there is none.
Release find_release(const std::string& name, const std::vector<std::string>& search_dirs,
                     const std::string& where);

// Every release in `search_dirs` (the first file of each name wins), newest
// first by version number.
std::vector<Release> list_releases(const std::vector<std::string>& search_dirs);

}  // namespace distill
