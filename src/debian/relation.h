// Package relationship fields (Depends, Pre-Depends, Conflicts, Breaks,
// Provides): parsing, printing and the satisfaction rules of dpkg/apt,
// including Multi-Arch.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "debian/package.h"

namespace distill::debian {

enum class RelOp { kAny, kLess, kLessEq, kEqual, kGreaterEq, kGreater };  // -, <<, <=, =, >=, >>

struct Relation {
  std::string name;
  std::string arch_qualifier;  // "" | "any" | "native" | a dpkg arch ("amd64")
  RelOp op = RelOp::kAny;
  std::string version;                     // "" when op is kAny
  std::vector<std::string> arch_restrict;  // "[amd64 !i386]" entries (source packages only)
  std::string profiles;                    // "<!nocheck>" text, kept but not evaluated

  // False when an [arch] restriction excludes `arch`.
  bool applies_to(std::string_view arch) const;
  std::string to_string() const;  // "name:any (>= 1.0)"
};

using RelationGroup = std::vector<Relation>;  // alternatives: a | b | c

// "a (>= 1) | b, c:any" -> {{a, b}, {c}}. Empty entries (a trailing comma)
// are skipped. Obsolete '<' and '>' mean '<=' and '>=' as in dpkg.
// Throws Error("<where>: bad relation '<text>': <why>").
std::vector<RelationGroup> parse_relations(std::string_view text, const std::string& where);
// Provides: no alternatives, only unversioned or '=' versions.
std::vector<Relation> parse_provides(std::string_view text, const std::string& where);

std::string to_string(const RelationGroup& group);  // "a (>= 1) | b"
std::string_view op_string(RelOp op);               // "<<", "<=", "=", ">=", ">>", ""

// Whether a package of version `have` satisfies "op want".
bool version_satisfies(std::string_view have, RelOp op, std::string_view want);

// The architecture side of a relation, after dpkg's deparchsatisfied():
// who depends (its architecture), the native arch of the resolution, and
// whether the relation is a Conflicts/Breaks (where ":any" matches anything).
struct RelationContext {
  std::string_view depender_arch;  // "all" counts as native
  std::string_view native_arch;
  bool negative = false;  // Conflicts/Breaks
};

// Architecture rule: may `candidate` (providing or being the target) satisfy
// `rel`? Unqualified: same arch as the depender, or Multi-Arch: foreign.
// ":any": Multi-Arch: allowed only. ":native"/":arch": that arch.
bool arch_satisfies(const Package& candidate, const Relation& rel, const RelationContext& ctx);

// Does `pkg` satisfy `rel` by its own name and version?
bool satisfies_directly(const Package& pkg, const Relation& rel, const RelationContext& ctx);
// Does one of `provides` (pkg's parsed Provides) satisfy `rel`? An
// unversioned Provides never satisfies a versioned relation.
bool satisfies_via_provides(const Package& pkg, const std::vector<Relation>& provides,
                            const Relation& rel, const RelationContext& ctx);

}  // namespace distill::debian
