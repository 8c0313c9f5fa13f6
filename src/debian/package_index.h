// All binary packages of one architecture view, from one or more Packages
// indices (several repositories, suites and components), with lookups by
// name and by provided virtual name.
//
// An index is a list of segments in the order they were added: Packages
// files in their compact form (debian/index_file.h), whose paragraphs are
// parsed only when a lookup returns them, and records added one by one.
// Lookups merge the segments, so the answers do not depend on the form.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "debian/deb822.h"
#include "debian/index_file.h"
#include "debian/package.h"
#include "debian/relation.h"

namespace distill::debian {

// One Packages paragraph as a record; `provides` (if given) gets its parsed
// Provides. Throws Error("where:line: ...") on a malformed paragraph or a
// record missing Package/Version/Architecture.
Package parse_package(const Deb822Paragraph& para, const PackageOrigin& origin,
                      const std::string& where, std::vector<Relation>* provides);

class PackageIndex {
 public:
  PackageIndex();
  ~PackageIndex();
  // Movable (a fresh mutex), not copyable: the records' addresses are kept.
  PackageIndex(PackageIndex&& o) noexcept;
  PackageIndex(const PackageIndex&) = delete;
  PackageIndex& operator=(const PackageIndex&) = delete;

  // Parses uncompressed Packages text; `where` names the file in errors.
  // Throws Error("where:line: ...") on a malformed paragraph or a record
  // missing Package/Version/Architecture.
  void add_packages(std::string_view text, const PackageOrigin& origin, const std::string& where);
  // Adds a Packages file in its compact form. `repair`, if set, gives a
  // fresh one when a paragraph of `file` turns out corrupt (the lookup then
  // goes on with it); unset, the corruption is thrown (Error kIntegrity).
  void add_file(std::shared_ptr<const IndexFile> file, const PackageOrigin& origin,
                std::function<std::shared_ptr<const IndexFile>()> repair = {});
  // Adds one record (tests and callers that build records themselves).
  const Package& add(Package package);
  // Every version of `name` (all origins), highest version first. Equal
  // versions from several origins keep the order they were added in.
  std::vector<const Package*> versions(std::string_view name) const;
  // Packages whose Provides names `virtual_name` (any version), ordered by
  // name then highest version first.
  std::vector<const Package*> providers(std::string_view virtual_name) const;
  const Package* candidate(std::string_view name) const;  // highest version, or nullptr
  size_t size() const;
  // Paragraphs parsed so far (the rest of the indices was never decoded).
  size_t parsed() const;

 private:
  struct Segment;
  std::vector<const Package*> merged(std::string_view name, bool provided) const;
  const Package* record(Segment& s, uint32_t r) const;
  // Guards the segments' parsed records and the lookup caches.
  mutable std::mutex mu_;
  std::deque<std::unique_ptr<Segment>> segments_;
  mutable std::unordered_map<std::string, std::vector<const Package*>> by_name_, by_provides_;
};

}  // namespace distill::debian
