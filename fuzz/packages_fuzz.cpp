// Packages indices: records, relation fields and the lookups the resolver
// makes (by name, by Provides, highest version).
#include "debian/package_index.h"
#include "debian/relation.h"
#include "fuzz_util.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  distill::debian::PackageIndex index;
  try {
    index.add_packages(distill::fuzz::as_text(data, size), {"file:///fuzz", "s", "main", ""},
                       "Packages");
  } catch (const distill::Error&) {
    return 0;
  }
  // A second origin with the same records exercises equal-version ordering.
  try {
    index.add_packages(distill::fuzz::as_text(data, size), {"file:///fuzz2", "s", "main", ""},
                       "Packages");
  } catch (const distill::Error&) {
  }
  std::string_view text = distill::fuzz::as_text(data, size);
  size_t at = 0;
  // Package names are found again by scanning for "Package:" lines.
  while ((at = text.find("Package:", at)) != std::string_view::npos) {
    size_t end = text.find('\n', at);
    std::string name(text.substr(at + 8, end == std::string_view::npos ? end : end - at - 8));
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.erase(0, 1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    at += 8;
    for (const auto* p : index.versions(name)) {
      try {
        distill::debian::parse_relations(p->depends, "Depends");
        distill::debian::parse_relations(p->pre_depends, "Pre-Depends");
        for (const auto& r : distill::debian::parse_provides(p->provides, "Provides"))
          index.providers(r.name);
      } catch (const distill::Error&) {
      }
    }
    index.candidate(name);
    index.providers(name);
  }
  return 0;
}
