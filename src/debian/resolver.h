// Dependency resolution with apt's choices for a fresh install: follows
// Pre-Depends and Depends (not Recommends), picks the highest candidate
// that satisfies version constraints, the first satisfiable alternative,
// and reports Conflicts/Breaks inside the chosen set.
#pragma once

#include <string>
#include <vector>

#include "debian/package.h"
#include "debian/package_index.h"

namespace distill::debian {

struct Request {
  std::string name;
  std::string version_constraint;  // "" or e.g. ">= 1.2", "= 3.0-1" (relation + version)
  bool resolve = true;             // false: install only this package, none of its deps
};

struct ResolveOptions {
  std::string arch;                  // dpkg arch, e.g. "amd64"
  std::vector<std::string> exclude;  // never installed; deps on them are dropped (warned)
};

struct Resolved {
  const Package* package;
  std::string reason;  // "requested" | "libc6 Depends: libgcc-s1" ...
};

struct Resolution {
  // Deterministic: requested order first, then deps after their dependents.
  std::vector<Resolved> packages;
  std::vector<std::string> warnings;  // Conflicts/Breaks in the set, excluded deps dropped
};

// Unsatisfiable: throws distill::Error whose message prints the failing
// chain, e.g. "cannot install app: app Depends: libfoo (>= 2) -> libfoo has only 1.0-1".
Resolution resolve(const PackageIndex& index, const std::vector<Request>& requests,
                   const ResolveOptions& opts);

}  // namespace distill::debian
