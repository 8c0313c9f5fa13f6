#include "sbom/provenance.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace distill::sbom {
namespace {

TEST(Provenance, StatementCarriesDefinitionLockFlagsAndDependencies) {
  Provenance p;
  p.subjects = {{"static", "sha256:" + std::string(64, '1')}};
  p.definition = "static";
  p.definition_path = "/images/static-debian12.yaml";
  p.definition_text = "from: x\n";
  p.lockfile_path = "/w/static.lock";
  p.lockfile_text = "{}\n";
  p.flags = {{"arch", "amd64"}, {"compression", "gzip"}};
  p.dependencies = {
      {"libc6_2.36_amd64.deb",
       "http://127.0.0.1:1/pool/libc6.deb",
       std::string(64, 'a'),
       "",
       {{"package", "libc6"}}},
      {"n.tgz", "http://127.0.0.1:1/n.tgz", std::string(64, 'b'), std::string(128, 'c'), {}}};
  p.started_on = "2023-11-14T22:13:20Z";
  std::string text = to_provenance_json(p);
  EXPECT_EQ(text, to_provenance_json(p));  // a pure function of its input
  auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["_type"], "https://in-toto.io/Statement/v1");
  EXPECT_EQ(j["predicateType"], "https://slsa.dev/provenance/v1");
  EXPECT_EQ(j["subject"][0]["digest"]["sha256"], std::string(64, '1'));
  const auto& bd = j["predicate"]["buildDefinition"];
  // sha256("from: x\n")
  EXPECT_EQ(bd["externalParameters"]["definition"]["digest"]["sha256"],
            "7b61e4c571c01a069823d6cf353a9ba3c700721aca653f76836e130726c7034b");
  EXPECT_EQ(bd["externalParameters"]["lockfile"]["content"], "{}\n");
  EXPECT_EQ(bd["externalParameters"]["flags"]["arch"], "amd64");
  ASSERT_EQ(bd["resolvedDependencies"].size(), 2u);
  EXPECT_EQ(bd["resolvedDependencies"][0]["annotations"]["package"], "libc6");
  EXPECT_FALSE(bd["resolvedDependencies"][0]["digest"].contains("sha512"));
  EXPECT_EQ(bd["resolvedDependencies"][1]["digest"]["sha512"], std::string(128, 'c'));
  EXPECT_EQ(j["predicate"]["runDetails"]["metadata"]["startedOn"], "2023-11-14T22:13:20Z");
  // No lock: no lockfile parameter.
  p.lockfile_path.clear();
  j = nlohmann::json::parse(to_provenance_json(p));
  EXPECT_FALSE(j["predicate"]["buildDefinition"]["externalParameters"].contains("lockfile"));
}

}  // namespace
}  // namespace distill::sbom
