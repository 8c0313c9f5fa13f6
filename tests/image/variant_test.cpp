// Variants are data: the family's come from images/common/family.yaml, a
// definition can declare its own, and the rules file found first in the
// search directories is the one that drives them.
#include <gtest/gtest.h>

#include <string>

#include "definition_fixture.h"
#include "error_of.h"
#include "image/definition.h"
#include "image/variant.h"
#include "util/fs.h"

namespace distill {

namespace {

std::string family_images() {
  return std::string(DISTILL_SOURCE_DIR) + "/images";
}

struct VariantTest : DefinitionFixture {
  Definition build_variant(const std::string& def_path, const std::string& variant,
                           const std::vector<std::string>& dirs) {
    Definition d = load_definition(def_path, dirs);
    apply_variant(d, variant);
    return d;
  }
};

}  // namespace

TEST_F(VariantTest, FamilyVariantsComeFromTheRulesFile) {
  std::string def = write("img.yaml", "name: img\npackages: [a]\n");
  Definition nonroot = build_variant(def, "nonroot", {family_images()});
  EXPECT_EQ(nonroot.config.user, "65532");
  EXPECT_EQ(nonroot.config.workdir, "/home/nonroot");
  EXPECT_EQ(nonroot.name, "img:nonroot");
  EXPECT_FALSE(nonroot.busybox);

  Definition debug = build_variant(def, "debug", {family_images()});
  EXPECT_EQ(debug.busybox, "/busybox");
  EXPECT_EQ(debug.config.entrypoint, (std::vector<std::string>{"/busybox/sh"}));
  EXPECT_EQ(*debug.config.env,
            (std::vector<std::string>{
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox"}));
  EXPECT_FALSE(debug.config.user);

  Definition both = build_variant(def, "debug-nonroot", {family_images()});
  EXPECT_EQ(both.config.user, "65532");
  EXPECT_EQ(both.busybox, "/busybox");

  Definition latest = build_variant(def, "latest", {family_images()});
  EXPECT_EQ(latest.name, "img");
  EXPECT_FALSE(latest.config.user);

  // The rules also name the part packages, the applet list and the order.
  EXPECT_EQ(latest.ca_package, "ca-certificates");
  EXPECT_EQ(latest.busybox_package, "busybox-static");
  EXPECT_EQ(latest.java_keystore_password, "changeit");
  EXPECT_EQ(latest.busybox_applets, family_images() + "/common/../files/busybox-applets.txt");
  EXPECT_EQ(latest.parts,
            (std::vector<std::string>{"packages", "ca-bundle", "extract", "java-keystore",
                                      "busybox", "generated", "upstream", "ld-so-cache", "app"}));
}

TEST_F(VariantTest, ADefinitionDeclaresItsOwnVariant) {
  std::string def = write("app.yaml", R"(name: app
packages: [a]
variants:
  app:
    user: "1000"
    workdir: /app
    packages: [tools]
  app-debug:
    include: [app, debug]
)");
  Definition app = build_variant(def, "app", {family_images()});
  EXPECT_EQ(app.config.user, "1000");
  EXPECT_EQ(app.config.workdir, "/app");
  ASSERT_EQ(app.packages.size(), 2u);
  EXPECT_EQ(app.packages[1].name, "tools");
  EXPECT_EQ(app.name, "app:app");

  Definition both = build_variant(def, "app-debug", {family_images()});
  EXPECT_EQ(both.config.user, "1000");
  EXPECT_EQ(both.busybox, "/busybox");
}

TEST_F(VariantTest, UnknownVariantListsTheDeclaredOnes) {
  std::string def = write("app.yaml", "packages: [a]\nvariants:\n  app: {user: \"1000\"}\n");
  std::string msg = error_of([&] { build_variant(def, "ap", {family_images()}); });
  EXPECT_EQ(msg, "unknown variant 'ap' for " + def +
                     " (it declares: app, debug, debug-nonroot, latest, nonroot; add it under "
                     "variants:)");
  std::string loop = write("loop.yaml", "packages: [a]\nvariants:\n  x: {include: [x]}\n");
  msg = error_of([&] { build_variant(loop, "x", {family_images()}); });
  EXPECT_EQ(msg, loop + ":3: variant x includes itself");
  std::string bad = write("bad.yaml", "packages: [a]\nvariants:\n  x: {include: [nope]}\n");
  msg = error_of([&] { build_variant(bad, "x", {family_images()}); });
  EXPECT_EQ(msg.rfind(bad + ":3: variant x includes 'nope', which is not declared", 0), 0u) << msg;
  EXPECT_EQ(load_error("variants:\n  x: {uid: 1}\n", "k.yaml"),
            join_path(tmp.path(), "k.yaml") +
                ":2: unknown key 'uid' in variant x (allowed: include, user, workdir, packages, "
                "files, busybox, entrypoint-if-unset, path-append)");
}

TEST_F(VariantTest, ChangingTheRulesFileChangesTheVariant) {
  // A copy of the family rules with another nonroot user, found first.
  std::string rules = read_file(family_images() + "/common/family.yaml");
  size_t at = rules.find("user: \"65532\"");
  ASSERT_NE(at, std::string::npos);
  rules.replace(at, 13, "user: \"4242\"");
  write("images/common/family.yaml", rules);
  std::string def = write("img.yaml", "packages: [a]\n");
  Definition d = build_variant(def, "nonroot", {join_path(tmp.path(), "images"), family_images()});
  EXPECT_EQ(d.config.user, "4242");
  // Without any rules file there are no variants at all.
  std::string msg = error_of([&] { build_variant(def, "nonroot", {}); });
  EXPECT_EQ(msg.rfind("unknown variant 'nonroot' for " + def + " (it declares: none", 0), 0u)
      << msg;
}

// Inheriting the rules must not fold a root definition's own lists: a path
// given twice in one file stays twice, so the build can reject it.
TEST_F(VariantTest, RulesKeepTheRootsDuplicates) {
  std::string def = write("dup.yaml", R"(files:
  - {dest: /etc/x, content: a}
  - {dest: /etc/x, content: b}
)");
  Definition d = load_definition(def, {family_images()});
  EXPECT_EQ(d.files.size(), 2u);
}

TEST(SplitVariant, Forms) {
  EXPECT_EQ(split_variant("static:nonroot").base, "static");
  EXPECT_EQ(split_variant("static:nonroot").variant, "nonroot");
  EXPECT_EQ(split_variant("defs/app.yaml:app").base, "defs/app.yaml");
  EXPECT_EQ(split_variant("defs/app.yaml:app").variant, "app");
  EXPECT_EQ(split_variant("static").variant, "");
  EXPECT_EQ(split_variant("static:").base, "static:");
  EXPECT_EQ(split_variant("/odd:dir/app.yaml").base, "/odd:dir/app.yaml");
}

}  // namespace distill
