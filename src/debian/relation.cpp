#include "debian/relation.h"

#include "debian/version.h"
#include "util/error.h"

namespace distill::debian {
namespace {

// Relations may continue over folded lines, so newlines are spaces here.
bool is_relation_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim_relation(std::string_view s) {
  while (!s.empty() && is_relation_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_relation_space(s.back())) s.remove_suffix(1);
  return s;
}

void skip_space(std::string_view& s) {
  while (!s.empty() && is_relation_space(s.front())) s.remove_prefix(1);
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.' || c == '_';
}

std::string fold(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : trim_relation(s)) {
    if (is_relation_space(c)) {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

Relation parse_one(std::string_view text, const std::string& where) {
  auto bad = [&](const std::string& why) -> Error {
    return Error(where + ": bad relation '" + fold(text) + "': " + why);
  };
  std::string_view s = trim_relation(text);
  if (s.empty()) throw bad("empty alternative");
  Relation r;
  size_t n = 0;
  while (n < s.size() && is_name_char(s[n])) ++n;
  if (n == 0) throw bad("expected a package name");
  r.name = std::string(s.substr(0, n));
  s.remove_prefix(n);
  if (!s.empty() && s.front() == ':') {
    s.remove_prefix(1);
    size_t m = 0;
    while (m < s.size() && is_name_char(s[m])) ++m;
    if (m == 0) throw bad("empty architecture qualifier");
    r.arch_qualifier = std::string(s.substr(0, m));
    s.remove_prefix(m);
  }
  skip_space(s);
  if (!s.empty() && s.front() == '(') {
    size_t close = s.find(')');
    if (close == std::string_view::npos) throw bad("missing ')'");
    std::string_view inner = trim_relation(s.substr(1, close - 1));
    s.remove_prefix(close + 1);
    if (inner.substr(0, 2) == "<<")
      r.op = RelOp::kLess, inner.remove_prefix(2);
    else if (inner.substr(0, 2) == "<=")
      r.op = RelOp::kLessEq, inner.remove_prefix(2);
    else if (inner.substr(0, 2) == ">=")
      r.op = RelOp::kGreaterEq, inner.remove_prefix(2);
    else if (inner.substr(0, 2) == ">>")
      r.op = RelOp::kGreater, inner.remove_prefix(2);
    else if (inner.substr(0, 1) == "=")
      r.op = RelOp::kEqual, inner.remove_prefix(1);
    else if (inner.substr(0, 1) == "<")
      r.op = RelOp::kLessEq, inner.remove_prefix(1);  // obsolete
    else if (inner.substr(0, 1) == ">")
      r.op = RelOp::kGreaterEq, inner.remove_prefix(1);
    else
      throw bad("expected one of << <= = >= >> before the version");
    inner = trim_relation(inner);
    if (inner.empty()) throw bad("missing version");
    std::string problem = version_problem(inner, /*strict=*/false);
    if (!problem.empty()) throw bad("version '" + std::string(inner) + "': " + problem);
    r.version = std::string(inner);
    skip_space(s);
  }
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) throw bad("missing ']'");
    std::string_view list = s.substr(1, close - 1);
    s.remove_prefix(close + 1);
    while (true) {
      skip_space(list);
      if (list.empty()) break;
      size_t e = 0;
      while (e < list.size() && !is_relation_space(list[e])) ++e;
      r.arch_restrict.emplace_back(list.substr(0, e));
      list.remove_prefix(e);
    }
    if (r.arch_restrict.empty()) throw bad("empty architecture list");
    skip_space(s);
  }
  while (!s.empty() && s.front() == '<') {
    size_t close = s.find('>');
    if (close == std::string_view::npos) throw bad("missing '>'");
    if (!r.profiles.empty()) r.profiles += ' ';
    r.profiles += std::string(s.substr(0, close + 1));
    s.remove_prefix(close + 1);
    skip_space(s);
  }
  if (!s.empty()) throw bad("unexpected '" + std::string(s) + "'");
  return r;
}

// Same arch after mapping "all" (and an unknown/empty arch) to native.
std::string_view effective_arch(std::string_view arch, std::string_view native) {
  return (arch.empty() || arch == "all") ? native : arch;
}

}  // namespace

bool Relation::applies_to(std::string_view arch) const {
  if (arch_restrict.empty()) return true;
  bool negated = arch_restrict.front().starts_with("!");
  for (const auto& a : arch_restrict) {
    std::string_view name = a;
    if (name.starts_with("!")) {
      if (name.substr(1) == arch) return false;
    } else if (name == arch || name == "any") {
      return true;
    }
  }
  return negated;
}

std::string Relation::to_string() const {
  std::string s = name;
  if (!arch_qualifier.empty()) s += ":" + arch_qualifier;
  if (op != RelOp::kAny) s += " (" + std::string(op_string(op)) + " " + version + ")";
  return s;
}

std::string to_string(const RelationGroup& group) {
  std::string s;
  for (const auto& r : group) {
    if (!s.empty()) s += " | ";
    s += r.to_string();
  }
  return s;
}

std::string_view op_string(RelOp op) {
  switch (op) {
    case RelOp::kLess:
      return "<<";
    case RelOp::kLessEq:
      return "<=";
    case RelOp::kEqual:
      return "=";
    case RelOp::kGreaterEq:
      return ">=";
    case RelOp::kGreater:
      return ">>";
    case RelOp::kAny:
      break;
  }
  return "";
}

std::vector<RelationGroup> parse_relations(std::string_view text, const std::string& where) {
  std::vector<RelationGroup> out;
  while (true) {
    size_t comma = text.find(',');
    std::string_view entry = text.substr(0, comma);
    if (!trim_relation(entry).empty()) {
      RelationGroup group;
      while (true) {
        size_t bar = entry.find('|');
        group.push_back(parse_one(entry.substr(0, bar), where));
        if (bar == std::string_view::npos) break;
        entry.remove_prefix(bar + 1);
      }
      out.push_back(std::move(group));
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::vector<Relation> parse_provides(std::string_view text, const std::string& where) {
  std::vector<Relation> out;
  for (auto& group : parse_relations(text, where)) {
    if (group.size() != 1)
      throw Error(where + ": bad Provides '" + to_string(group) +
                  "': alternatives are not allowed");
    Relation& r = group.front();
    if (r.op != RelOp::kAny && r.op != RelOp::kEqual)
      throw Error(where + ": bad Provides '" + r.to_string() + "': only '=' versions are allowed");
    out.push_back(std::move(r));
  }
  return out;
}

bool version_satisfies(std::string_view have, RelOp op, std::string_view want) {
  if (op == RelOp::kAny) return true;
  int c = compare_versions(have, want);
  switch (op) {
    case RelOp::kLess:
      return c < 0;
    case RelOp::kLessEq:
      return c <= 0;
    case RelOp::kEqual:
      return c == 0;
    case RelOp::kGreaterEq:
      return c >= 0;
    case RelOp::kGreater:
      return c > 0;
    case RelOp::kAny:
      break;
  }
  return true;
}

bool arch_satisfies(const Package& candidate, const Relation& rel, const RelationContext& ctx) {
  const std::string& q = rel.arch_qualifier;
  if (q.empty() && candidate.multi_arch == "foreign") return true;
  if (q == "any") return candidate.multi_arch == "allowed" || ctx.negative;
  std::string_view want = q.empty()       ? effective_arch(ctx.depender_arch, ctx.native_arch)
                          : q == "native" ? ctx.native_arch
                                          : std::string_view(q);
  return want == effective_arch(candidate.architecture, ctx.native_arch);
}

bool satisfies_directly(const Package& pkg, const Relation& rel, const RelationContext& ctx) {
  return pkg.name == rel.name && version_satisfies(pkg.version, rel.op, rel.version) &&
         arch_satisfies(pkg, rel, ctx);
}

bool satisfies_via_provides(const Package& pkg, const std::vector<Relation>& provides,
                            const Relation& rel, const RelationContext& ctx) {
  for (const auto& p : provides) {
    if (p.name != rel.name) continue;
    if (rel.op != RelOp::kAny) {
      if (p.op != RelOp::kEqual) continue;  // unversioned provides: no versioned deps
      if (!version_satisfies(p.version, rel.op, rel.version)) continue;
    }
    if (arch_satisfies(pkg, rel, ctx)) return true;
  }
  return false;
}

}  // namespace distill::debian
