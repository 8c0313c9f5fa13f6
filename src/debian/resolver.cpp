#include "debian/resolver.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "debian/relation.h"
#include "debian/version.h"
#include "util/error.h"

namespace distill::debian {
namespace {

// Relations of one package, parsed once per resolution.
struct Parsed {
  std::vector<RelationGroup> pre_depends, depends, conflicts, breaks;
  std::vector<Relation> provides;
};

// apt's Priority ranking: required is the most preferred.
int priority_rank(std::string_view p) {
  if (p == "required") return 1;
  if (p == "important") return 2;
  if (p == "standard") return 3;
  if (p == "optional") return 4;
  if (p == "extra") return 5;
  return 6;
}

std::string describe_versions(const std::vector<const Package*>& vs) {
  std::string s;
  for (const Package* v : vs) {
    if (!s.empty()) s += ", ";
    s += v->version;
    if (v->architecture != "all") s += " (" + v->architecture + ")";
  }
  return s;
}

class Resolver {
 public:
  Resolver(const PackageIndex& index, const ResolveOptions& opts,
           const std::set<const Package*>& avoid)
      : index_(index),
        opts_(opts),
        exclude_(opts.exclude.begin(), opts.exclude.end()),
        avoid_(avoid) {}

  // Throws on an unsatisfiable request. On a Conflicts inside the set, sets
  // *retry_without to an automatically chosen package that had alternatives
  // (and returns), or throws when there is none.
  Resolution run(const std::vector<Request>& requests, const Package** retry_without);

 private:
  struct Choice {
    const Package* package;
    bool resolve;
  };

  const Parsed& parsed(const Package* p);
  std::string key(const Package* p) const {
    return p->name + ":" + (p->architecture == "all" ? opts_.arch : p->architecture);
  }
  RelationContext context(const Package* depender, bool negative = false) const {
    return {depender ? std::string_view(depender->architecture) : std::string_view(opts_.arch),
            opts_.arch, negative};
  }

  const Package* pick_request(const Request& r, std::string* reason);
  void mark(const Package* p, std::string reason);
  void rollback(size_t size);
  bool satisfied_by_chosen(const Package* depender, const RelationGroup& group);
  const std::string* excluded_in(const Package* depender, const RelationGroup& group);
  std::vector<const Package*> solutions(const Package* depender, const RelationGroup& group,
                                        std::string* why_none,
                                        std::map<const Package*, std::string>* ties);
  bool conflicts_with_chosen(const Package* p);
  bool hits(const Package* owner, const std::vector<RelationGroup>& rels, const Package* other);
  bool install(const Package* p, std::string reason, std::string* failure);
  bool resolve_deps(const Package* p, std::string* failure);
  void check_conflicts(const Package** retry_without);

  const PackageIndex& index_;
  const ResolveOptions& opts_;
  std::unordered_set<std::string> exclude_;
  std::unordered_map<const Package*, std::unique_ptr<Parsed>> parsed_;

  Resolution out_;
  std::unordered_map<std::string, const Package*> chosen_;         // key(): package
  std::unordered_multimap<std::string, const Package*> provided_;  // virtual name: chosen provider
  std::set<std::string> warned_;
  // Packages to try last: they conflicted with the rest in an earlier round.
  const std::set<const Package*>& avoid_;
  std::set<const Package*> had_alternatives_;  // chosen where other candidates existed
  size_t budget_ = 200000;  // install attempts before giving up (pathological backtracking)
};

const Parsed& Resolver::parsed(const Package* p) {
  auto& slot = parsed_[p];
  if (!slot) {
    slot = std::make_unique<Parsed>();
    std::string who = p->name + " " + p->version;
    slot->pre_depends = parse_relations(p->pre_depends, who + " Pre-Depends");
    slot->depends = parse_relations(p->depends, who + " Depends");
    slot->conflicts = parse_relations(p->conflicts, who + " Conflicts");
    slot->breaks = parse_relations(p->breaks, who + " Breaks");
    slot->provides = parse_provides(p->provides, who + " Provides");
  }
  return *slot;
}

void Resolver::mark(const Package* p, std::string reason) {
  out_.packages.push_back({p, std::move(reason)});
  chosen_[key(p)] = p;
  for (const auto& prov : parsed(p).provides) provided_.emplace(prov.name, p);
}

void Resolver::rollback(size_t size) {
  while (out_.packages.size() > size) {
    const Package* p = out_.packages.back().package;
    chosen_.erase(key(p));
    for (const auto& prov : parsed(p).provides) {
      auto range = provided_.equal_range(prov.name);
      for (auto it = range.first; it != range.second; ++it) {
        if (it->second == p) {
          provided_.erase(it);
          break;
        }
      }
    }
    out_.packages.pop_back();
  }
}

bool Resolver::satisfied_by_chosen(const Package* depender, const RelationGroup& group) {
  RelationContext ctx = context(depender);
  for (const Relation& rel : group) {
    if (!rel.applies_to(opts_.arch)) continue;
    for (const auto& [k, p] : chosen_) {
      (void)k;
      if (p->name == rel.name && satisfies_directly(*p, rel, ctx)) return true;
    }
    auto range = provided_.equal_range(rel.name);
    for (auto it = range.first; it != range.second; ++it)
      if (satisfies_via_provides(*it->second, parsed(it->second).provides, rel, ctx)) return true;
  }
  return false;
}

// An excluded package counts as present: a group that names one, or whose
// candidate providers include one, is dropped.
const std::string* Resolver::excluded_in(const Package* depender, const RelationGroup& group) {
  (void)depender;
  for (const Relation& rel : group) {
    if (auto it = exclude_.find(rel.name); it != exclude_.end()) return &*it;
    for (const Package* prov : index_.providers(rel.name))
      if (auto it = exclude_.find(prov->name); it != exclude_.end()) return &*it;
  }
  return nullptr;
}

bool Resolver::hits(const Package* owner, const std::vector<RelationGroup>& rels,
                    const Package* other) {
  if (owner->name == other->name) return false;  // a package never conflicts with itself
  RelationContext ctx = context(owner, true);
  for (const auto& group : rels)
    for (const Relation& rel : group) {
      if (satisfies_directly(*other, rel, ctx)) return true;
      if (satisfies_via_provides(*other, parsed(other).provides, rel, ctx)) return true;
    }
  return false;
}

bool Resolver::conflicts_with_chosen(const Package* p) {
  const Parsed& pp = parsed(p);
  for (const auto& [k, q] : chosen_) {
    (void)k;
    if (hits(p, pp.conflicts, q) || hits(p, pp.breaks, q)) return true;
    const Parsed& pq = parsed(q);
    if (hits(q, pq.conflicts, p) || hits(q, pq.breaks, p)) return true;
  }
  return false;
}

// Candidates for a dependency group in apt's order: alternatives as
// written; within one, the real package before providers, then Essential,
// then Priority, then name (apt falls back to cache order here; we warn).
std::vector<const Package*> Resolver::solutions(const Package* depender, const RelationGroup& group,
                                                std::string* why_none,
                                                std::map<const Package*, std::string>* ties) {
  RelationContext ctx = context(depender);
  std::vector<const Package*> out;
  std::vector<std::string> why;
  for (const Relation& rel : group) {
    if (!rel.applies_to(opts_.arch)) continue;
    std::vector<const Package*> here;
    // The real package: its highest version that satisfies the relation.
    auto versions = index_.versions(rel.name);
    std::string real_why;
    for (const Package* v : versions) {
      if (!satisfies_directly(*v, rel, ctx)) continue;
      auto it = chosen_.find(key(v));
      if (it != chosen_.end() && it->second != v) {
        real_why = rel.name + " " + it->second->version + " is already selected";
        continue;
      }
      here.push_back(v);
      break;
    }
    size_t real_count = here.size();
    // Providers: each provider's candidate (highest) version, as apt does.
    std::vector<const Package*> provs;
    std::string last;
    for (const Package* prov : index_.providers(rel.name)) {
      if (prov->name == last) continue;
      last = prov->name;
      const Package* cand = index_.candidate(prov->name);
      if (!cand || exclude_.count(cand->name)) continue;
      if (!satisfies_via_provides(*cand, parsed(cand).provides, rel, ctx)) continue;
      auto it = chosen_.find(key(cand));
      if (it != chosen_.end() && it->second != cand) continue;
      provs.push_back(cand);
    }
    std::stable_sort(provs.begin(), provs.end(), [](const Package* a, const Package* b) {
      if (a->essential != b->essential) return a->essential;
      return priority_rank(a->priority) < priority_rank(b->priority);
    });
    // Equally ranked providers, no real package: only the name decides.
    auto same_rank = [&](const Package* a) {
      return a->essential == provs[0]->essential &&
             priority_rank(a->priority) == priority_rank(provs[0]->priority);
    };
    if (real_count == 0 && provs.size() > 1 && same_rank(provs[1])) {
      std::string tied;
      for (const Package* a : provs)
        if (same_rank(a)) tied += (tied.empty() ? "" : ", ") + a->name;
      // Not for a package an earlier alternative already offers by its own merit.
      for (const Package* a : provs)
        if (same_rank(a) && std::find(out.begin(), out.end(), a) == out.end())
          ties->emplace(a, tied);
    }
    for (const Package* p : provs) here.push_back(p);
    if (here.empty()) {
      if (!real_why.empty()) {
        why.push_back(real_why);
      } else if (!versions.empty()) {
        why.push_back(rel.name + " has only " + describe_versions(versions));
      } else if (!index_.providers(rel.name).empty()) {
        why.push_back("no provider of " + rel.name + " satisfies " + rel.to_string());
      } else {
        why.push_back("no package " + rel.name + " in any index");
      }
    }
    for (const Package* p : here)
      if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  if (out.empty()) {
    std::string s;
    for (const auto& w : why) s += (s.empty() ? "" : "; ") + w;
    *why_none = s.empty() ? "no alternative applies to " + opts_.arch : s;
  }
  return out;
}

bool Resolver::install(const Package* p, std::string reason, std::string* failure) {
  if (budget_-- == 0)
    throw Error("dependency resolution gave up: too many alternatives to try (at " + p->name + ")");
  mark(p, std::move(reason));
  return resolve_deps(p, failure);
}

bool Resolver::resolve_deps(const Package* p, std::string* failure) {
  const Parsed& pp = parsed(p);
  for (int pre = 1; pre >= 0; --pre) {
    const char* field = pre ? "Pre-Depends" : "Depends";
    for (const RelationGroup& group : pre ? pp.pre_depends : pp.depends) {
      std::string text = p->name + " " + field + ": " + to_string(group);
      if (const std::string* ex = excluded_in(p, group)) {
        std::string w = "dropped " + text + " (" + *ex + " is excluded)";
        if (warned_.insert(w).second) out_.warnings.push_back(w);
        continue;
      }
      if (satisfied_by_chosen(p, group)) continue;
      std::string why_none;
      std::map<const Package*, std::string> ties;
      auto cands = solutions(p, group, &why_none, &ties);
      if (cands.empty()) {
        *failure = text + " -> " + why_none;
        return false;
      }
      // Prefer candidates that do not conflict with what is already chosen,
      // nor with what a mandatory dependency needed in an earlier round.
      std::stable_partition(cands.begin(), cands.end(),
                            [&](const Package* c) { return !conflicts_with_chosen(c); });
      std::stable_partition(cands.begin(), cands.end(),
                            [&](const Package* c) { return !avoid_.count(c); });
      std::string first_failure;
      bool ok = false;
      for (const Package* c : cands) {
        size_t mark_at = out_.packages.size();
        size_t warn_at = out_.warnings.size();
        std::string sub;
        if (install(c, text, &sub)) {
          ok = true;
          if (cands.size() > 1) had_alternatives_.insert(c);
          if (auto t = ties.find(c); t != ties.end()) {
            std::string w = text + ": several packages provide it (" + t->second + "); chose " +
                            c->name + ", request another explicitly to override";
            if (warned_.insert(w).second) out_.warnings.push_back(w);
          }
          break;
        }
        rollback(mark_at);
        out_.warnings.resize(warn_at);
        if (first_failure.empty()) first_failure = sub;
      }
      if (!ok) {
        *failure = text + " -> " + first_failure;
        return false;
      }
    }
  }
  return true;
}

const Package* Resolver::pick_request(const Request& r, std::string* reason) {
  *reason = "requested";
  if (exclude_.count(r.name))
    throw Error("cannot install " + r.name + ": it is both requested and excluded");
  Relation rel;
  if (!r.version_constraint.empty()) {
    auto groups = parse_relations(r.name + " (" + r.version_constraint + ")", "request " + r.name);
    if (groups.size() != 1 || groups[0].size() != 1)
      throw Error("request " + r.name + ": bad version constraint '" + r.version_constraint + "'");
    rel = groups[0][0];
  } else {
    auto groups = parse_relations(r.name, "request");
    if (groups.size() != 1 || groups[0].size() != 1)
      throw Error("bad package name in request: '" + r.name + "'");
    rel = groups[0][0];
  }
  RelationContext ctx = context(nullptr);
  auto versions = index_.versions(rel.name);
  for (const Package* v : versions)
    if (satisfies_directly(*v, rel, ctx)) return v;
  if (!versions.empty())
    throw Error("cannot install " + rel.to_string() + ": " + rel.name + " has only " +
                describe_versions(versions));
  // A virtual package: like apt, take its only provider, refuse to guess among several.
  std::vector<const Package*> provs;
  for (const Package* prov : index_.providers(rel.name)) {
    const Package* cand = index_.candidate(prov->name);
    if (cand == prov && satisfies_via_provides(*cand, parsed(cand).provides, rel, ctx))
      provs.push_back(cand);
  }
  if (provs.size() == 1) {
    out_.warnings.push_back("selecting " + provs[0]->name + " instead of virtual package " +
                            rel.name);
    *reason = "requested as " + rel.name;
    return provs[0];
  }
  if (provs.size() > 1) {
    std::string names;
    for (const Package* p : provs) names += (names.empty() ? "" : ", ") + p->name;
    throw Error("cannot install " + rel.name + ": it is a virtual package provided by " + names +
                "; request one of them explicitly");
  }
  throw Error("cannot install " + rel.name + ": no package " + rel.name + " in any index");
}

void Resolver::check_conflicts(const Package** retry_without) {
  // Conflicts: dpkg refuses to unpack both, so the set is unusable. Breaks:
  // dpkg unpacks both (and deconfigures the broken one); report it.
  for (const auto& r : out_.packages) {
    const Package* p = r.package;
    const Parsed& pp = parsed(p);
    for (const auto& q : out_.packages) {
      if (hits(p, pp.conflicts, q.package)) {
        // Like apt, give up an automatic choice that had alternatives
        // (e.g. "foo-nogui | foo" when something else needs foo).
        for (const Package* c : {p, q.package}) {
          if (had_alternatives_.count(c) && !avoid_.count(c)) {
            *retry_without = c;
            return;
          }
        }
        throw Error("cannot install " + p->name + " together with " + q.package->name + ": " +
                    p->name + " Conflicts: " + p->conflicts + " (" + p->name + ": " + r.reason +
                    "; " + q.package->name + ": " + q.reason + ")");
      }
      if (hits(p, pp.breaks, q.package)) {
        std::string w = p->name + " " + p->version + " Breaks: " + p->breaks + ", but " +
                        q.package->name + " " + q.package->version + " is in the set";
        if (warned_.insert(w).second) out_.warnings.push_back(w);
      }
    }
  }
}

Resolution Resolver::run(const std::vector<Request>& requests, const Package** retry_without) {
  if (opts_.arch.empty()) throw Error("dependency resolution needs a target architecture");
  // Like apt-get install: mark every requested package first, then follow
  // dependencies request by request, so requests satisfy each other's deps.
  std::vector<Choice> picked;
  for (const Request& r : requests) {
    std::string reason;
    const Package* p = pick_request(r, &reason);
    auto it = chosen_.find(key(p));
    if (it != chosen_.end()) {
      if (it->second != p)
        throw Error("cannot install " + p->name + ": requested as both " + it->second->version +
                    " and " + p->version);
      for (auto& c : picked)
        if (c.package == p) c.resolve = c.resolve || r.resolve;
      continue;
    }
    mark(p, reason);
    picked.push_back({p, r.resolve});
  }
  for (const Choice& c : picked) {
    if (!c.resolve) continue;
    std::string failure;
    if (!resolve_deps(c.package, &failure))
      throw Error("cannot install " + c.package->name + ": " + failure);
  }
  check_conflicts(retry_without);
  return std::move(out_);
}

}  // namespace

Resolution resolve(const PackageIndex& index, const std::vector<Request>& requests,
                   const ResolveOptions& opts) {
  std::set<const Package*> avoid;
  while (true) {
    const Package* retry_without = nullptr;
    Resolver r(index, opts, avoid);
    Resolution res = r.run(requests, &retry_without);
    if (!retry_without) return res;
    avoid.insert(retry_without);  // grows every round, so this ends
  }
}

}  // namespace distill::debian
