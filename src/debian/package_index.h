// All binary packages of one architecture view, from one or more Packages
// indices (several repositories, suites and components), with lookups by
// name and by provided virtual name.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "debian/package.h"
#include "debian/relation.h"

namespace distill::debian {

class PackageIndex {
 public:
  // Parses uncompressed Packages text; `where` names the file in errors.
  // Throws Error("where:line: ...") on a malformed paragraph or a record
  // missing Package/Version/Architecture.
  void add_packages(std::string_view text, const PackageOrigin& origin, const std::string& where);
  // Adds one record (tests and callers that build records themselves).
  const Package& add(Package package);
  // Every version of `name` (all origins), highest version first. Equal
  // versions from several origins keep the order they were added in.
  std::vector<const Package*> versions(std::string_view name) const;
  // Packages whose Provides names `virtual_name` (any version), ordered by
  // name then highest version first.
  std::vector<const Package*> providers(std::string_view virtual_name) const;
  const Package* candidate(std::string_view name) const;  // highest version, or nullptr
  size_t size() const { return packages_.size(); }

 private:
  const Package& insert(Package package, const std::vector<Relation>& provides);
  std::deque<Package> packages_;  // deque: stable addresses for the pointers below
  std::unordered_map<std::string, std::vector<const Package*>> by_name_;
  std::unordered_map<std::string, std::vector<const Package*>> by_provides_;
};

}  // namespace distill::debian
