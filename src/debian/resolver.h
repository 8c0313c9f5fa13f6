// Dependency resolution with apt's choices for a fresh install (checked
// against `apt-get install --simulate` in tests/debian/resolver_apt_test):
// - requested packages are selected first, then Pre-Depends and Depends
//   (not Recommends) are followed depth first, request by request;
// - a dependency already satisfied by the selection (any alternative,
//   real or provided) adds nothing; otherwise the first alternative that
//   can be installed wins, the real package before providers, providers
//   ranked by Essential, then Priority, then name (apt uses cache order
//   there; we warn when that tie-break decides);
// - a candidate is the highest version that satisfies the relation (apt
//   only tries the highest version and fails if it does not fit);
// - a candidate whose own dependencies fail is rolled back and the next
//   alternative tried; an automatic choice that Conflicts with a later
//   mandatory dependency is replaced by its next alternative, as apt does;
// - Conflicts left inside the final set are an error (dpkg would refuse to
//   unpack both); Breaks are a warning (dpkg unpacks both);
// - `exclude` names count as already present: a dependency group naming
//   one (or provided by one) is dropped with a warning;
// - requesting a virtual package takes its only provider (warned) and is
//   an error when several provide it, like apt-get install.
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
