#include "debian/relation.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace distill::debian {
namespace {

std::string relation_error_of(std::string_view text) {
  try {
    parse_relations(text, "Packages:3: foo Depends");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Relation, ParsesGroupsAlternativesAndVersions) {
  auto g = parse_relations(
      "libc6 (>= 2.34), a | b:any (<< 1:2.0~) |c,\n  d:amd64(=1.0-1), e (> 1), f (< 2), g:native,",
      "x");
  ASSERT_EQ(g.size(), 6u);
  ASSERT_EQ(g[0].size(), 1u);
  EXPECT_EQ(g[0][0].name, "libc6");
  EXPECT_EQ(g[0][0].op, RelOp::kGreaterEq);
  EXPECT_EQ(g[0][0].version, "2.34");
  ASSERT_EQ(g[1].size(), 3u);
  EXPECT_EQ(g[1][1].name, "b");
  EXPECT_EQ(g[1][1].arch_qualifier, "any");
  EXPECT_EQ(g[1][1].op, RelOp::kLess);
  EXPECT_EQ(g[1][1].version, "1:2.0~");
  EXPECT_EQ(g[1][2].name, "c");
  EXPECT_EQ(g[1][2].op, RelOp::kAny);
  EXPECT_EQ(g[2][0].arch_qualifier, "amd64");
  EXPECT_EQ(g[2][0].op, RelOp::kEqual);
  EXPECT_EQ(g[2][0].version, "1.0-1");
  EXPECT_EQ(g[3][0].op, RelOp::kGreaterEq);  // obsolete '>' means '>='
  EXPECT_EQ(g[4][0].op, RelOp::kLessEq);     // obsolete '<' means '<='
  EXPECT_EQ(g[5][0].arch_qualifier, "native");
  EXPECT_EQ(to_string(g[1]), "a | b:any (<< 1:2.0~) | c");
  EXPECT_EQ(g[0][0].to_string(), "libc6 (>= 2.34)");
  EXPECT_TRUE(parse_relations("", "x").empty());
  EXPECT_TRUE(parse_relations("  \n ", "x").empty());
}

TEST(Relation, ArchRestrictionsAndProfiles) {
  auto g = parse_relations("a [amd64 arm64] <!nocheck> <stage1>, b [!i386]", "x");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0][0].arch_restrict, (std::vector<std::string>{"amd64", "arm64"}));
  EXPECT_EQ(g[0][0].profiles, "<!nocheck> <stage1>");
  EXPECT_TRUE(g[0][0].applies_to("amd64"));
  EXPECT_FALSE(g[0][0].applies_to("i386"));
  EXPECT_TRUE(g[1][0].applies_to("amd64"));
  EXPECT_FALSE(g[1][0].applies_to("i386"));
  EXPECT_TRUE(parse_relations("c", "x")[0][0].applies_to("s390x"));
}

TEST(Relation, Errors) {
  EXPECT_EQ(relation_error_of("a, b (>= )"),
            "Packages:3: foo Depends: bad relation 'b (>= )': missing version");
  EXPECT_EQ(relation_error_of("a | | b"),
            "Packages:3: foo Depends: bad relation '': empty alternative");
  EXPECT_EQ(relation_error_of("a (>= 1"),
            "Packages:3: foo Depends: bad relation 'a (>= 1': missing ')'");
  EXPECT_EQ(relation_error_of("a (~ 1)"),
            "Packages:3: foo Depends: bad relation 'a (~ 1)': expected one of << <= = >= >> before "
            "the version");
  EXPECT_EQ(relation_error_of("a (>= 1:)"),
            "Packages:3: foo Depends: bad relation 'a (>= 1:)': version '1:': nothing after the "
            "epoch colon");
  EXPECT_EQ(relation_error_of("a b"),
            "Packages:3: foo Depends: bad relation 'a b': unexpected 'b'");
  EXPECT_EQ(relation_error_of("(>= 1)"),
            "Packages:3: foo Depends: bad relation '(>= 1)': expected a package name");
  EXPECT_EQ(relation_error_of("a:"),
            "Packages:3: foo Depends: bad relation 'a:': empty architecture qualifier");
}

TEST(Relation, Provides) {
  auto p = parse_provides("foo (= 1.0), bar, baz:any", "x");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].version, "1.0");
  EXPECT_THROW(parse_provides("a | b", "x"), Error);
  try {
    parse_provides("a (>= 1)", "Packages:9: p Provides");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "Packages:9: p Provides: bad Provides 'a (>= 1)': only '=' versions are allowed");
  }
}

TEST(Relation, VersionSatisfies) {
  EXPECT_TRUE(version_satisfies("1.0", RelOp::kAny, ""));
  EXPECT_TRUE(version_satisfies("1.0", RelOp::kLess, "1.1"));
  EXPECT_FALSE(version_satisfies("1.1", RelOp::kLess, "1.1"));
  EXPECT_TRUE(version_satisfies("1.1", RelOp::kLessEq, "1.1"));
  EXPECT_FALSE(version_satisfies("1.2", RelOp::kLessEq, "1.1"));
  EXPECT_TRUE(version_satisfies("1.1-0", RelOp::kEqual, "1.1"));
  EXPECT_FALSE(version_satisfies("1:1.1", RelOp::kEqual, "1.1"));
  EXPECT_TRUE(version_satisfies("1:0.1", RelOp::kGreaterEq, "9.9"));
  EXPECT_FALSE(version_satisfies("1.0~rc1", RelOp::kGreaterEq, "1.0"));
  EXPECT_TRUE(version_satisfies("1.0+b1", RelOp::kGreater, "1.0"));
  EXPECT_FALSE(version_satisfies("1.0", RelOp::kGreater, "1.0"));
  EXPECT_EQ(op_string(RelOp::kLess), "<<");
  EXPECT_EQ(op_string(RelOp::kAny), "");
}

Package pkg(std::string name, std::string version, std::string arch, std::string ma = "") {
  Package p;
  p.name = std::move(name);
  p.version = std::move(version);
  p.architecture = std::move(arch);
  p.multi_arch = std::move(ma);
  return p;
}

Relation rel(std::string_view text) {
  return parse_relations(text, "t")[0][0];
}

TEST(Relation, MultiArchRules) {
  RelationContext amd{"amd64", "amd64"};
  RelationContext from_all{"all", "amd64"};
  RelationContext from_i386{"i386", "amd64"};
  Package plain = pkg("libfoo", "1.0", "amd64");
  Package plain_i386 = pkg("libfoo", "1.0", "i386");
  Package indep = pkg("libfoo", "1.0", "all");
  Package foreign_arm = pkg("libfoo", "1.0", "arm64", "foreign");
  Package allowed_i386 = pkg("libfoo", "1.0", "i386", "allowed");
  Package allowed = pkg("libfoo", "1.0", "amd64", "allowed");
  Package same = pkg("libfoo", "1.0", "amd64", "same");

  // Unqualified: same arch ("all" counts as native), or Multi-Arch: foreign.
  EXPECT_TRUE(arch_satisfies(plain, rel("libfoo"), amd));
  EXPECT_TRUE(arch_satisfies(plain, rel("libfoo"), from_all));
  EXPECT_TRUE(arch_satisfies(indep, rel("libfoo"), amd));
  EXPECT_FALSE(arch_satisfies(plain_i386, rel("libfoo"), amd));
  EXPECT_TRUE(arch_satisfies(plain_i386, rel("libfoo"), from_i386));
  EXPECT_TRUE(arch_satisfies(foreign_arm, rel("libfoo"), amd));
  EXPECT_FALSE(arch_satisfies(allowed_i386, rel("libfoo"), amd));
  EXPECT_TRUE(arch_satisfies(same, rel("libfoo"), amd));
  // :any: only Multi-Arch: allowed, of any arch (not even same-arch plain).
  EXPECT_FALSE(arch_satisfies(plain, rel("libfoo:any"), amd));
  EXPECT_FALSE(arch_satisfies(foreign_arm, rel("libfoo:any"), amd));
  EXPECT_FALSE(arch_satisfies(same, rel("libfoo:any"), amd));
  EXPECT_TRUE(arch_satisfies(allowed, rel("libfoo:any"), amd));
  EXPECT_TRUE(arch_satisfies(allowed_i386, rel("libfoo:any"), amd));
  // In Conflicts/Breaks, :any matches any architecture.
  EXPECT_TRUE(arch_satisfies(plain, rel("libfoo:any"), {"amd64", "amd64", true}));
  // Explicit qualifiers.
  EXPECT_TRUE(arch_satisfies(plain, rel("libfoo:native"), from_i386));
  EXPECT_FALSE(arch_satisfies(plain_i386, rel("libfoo:native"), from_i386));
  EXPECT_TRUE(arch_satisfies(plain_i386, rel("libfoo:i386"), amd));
  EXPECT_TRUE(arch_satisfies(indep, rel("libfoo:amd64"), amd));
  EXPECT_FALSE(arch_satisfies(indep, rel("libfoo:i386"), amd));
}

TEST(Relation, SatisfiesDirectlyAndViaProvides) {
  RelationContext amd{"amd64", "amd64"};
  Package p = pkg("mawk", "1.3.4", "amd64", "foreign");
  auto provides = parse_provides("awk, libfoo-abi (= 2.0), python3:any", "t");
  EXPECT_TRUE(satisfies_directly(p, rel("mawk (>= 1.3)"), amd));
  EXPECT_FALSE(satisfies_directly(p, rel("mawk (>= 1.4)"), amd));
  EXPECT_FALSE(satisfies_directly(p, rel("gawk"), amd));
  EXPECT_TRUE(satisfies_via_provides(p, provides, rel("awk"), amd));
  EXPECT_FALSE(satisfies_via_provides(p, provides, rel("awk (>= 1)"), amd));  // unversioned
  EXPECT_TRUE(satisfies_via_provides(p, provides, rel("libfoo-abi (>= 2)"), amd));
  EXPECT_FALSE(satisfies_via_provides(p, provides, rel("libfoo-abi (>> 2.0)"), amd));
  EXPECT_TRUE(satisfies_via_provides(p, provides, rel("libfoo-abi"), amd));
  EXPECT_FALSE(satisfies_via_provides(p, provides, rel("nothing"), amd));
  // The provider's Multi-Arch decides :any (foreign is not allowed).
  EXPECT_FALSE(satisfies_via_provides(p, provides, rel("awk:any"), amd));
}

}  // namespace
}  // namespace distill::debian
