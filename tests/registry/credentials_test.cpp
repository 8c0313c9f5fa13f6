#include "registry/credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "registry/options.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::registry {
namespace {

// A fake docker-credential-* helper: records calls, answers like the protocol.
struct FakeHelper {
  std::vector<std::string> calls;
  HelperRunner runner() {
    return [this](const std::vector<std::string>& argv, const std::string& input) {
      calls.push_back(argv[0] + " " + argv[1] + " " + input);
      ProcessResult r;
      if (argv[0] == "docker-credential-good" && input == "reg.example:5000\n") {
        r.exit_code = 0;
        r.out = R"({"ServerURL":"reg.example:5000","Username":"u","Secret":"p"})";
      } else if (argv[0] == "docker-credential-tok") {
        r.exit_code = 0;
        r.out = R"({"ServerURL":"x","Username":"<token>","Secret":"refresh"})";
      } else if (argv[0] == "docker-credential-broken") {
        r.exit_code = 0;
        r.out = "not json";
      } else {
        r.exit_code = 1;
        r.out = "credentials not found in native keychain\n";
      }
      return r;
    };
  }
};

TEST(Credentials, CredsFlag) {
  Credential c = parse_creds_flag("alice:pa:ss", "--creds");
  EXPECT_EQ(c.username, "alice");
  EXPECT_EQ(c.password, "pa:ss");
  EXPECT_THROW(parse_creds_flag("alice", "--creds"), Error);
  EXPECT_THROW(parse_creds_flag(":x", "--creds"), Error);
}

TEST(Credentials, AuthsKeysAndSpecificity) {
  FakeHelper h;
  std::string json = R"({"auths":{
      "https://reg.example:5000/v1/":{"auth":"YWxpY2U6c2VjcmV0"},
      "reg.example:5000/team/app":{"username":"bob","password":"pw"},
      "https://index.docker.io/v1/":{"auth":"aHViOmh1Yg=="}}})";
  auto c = lookup_auth_file(json, "cfg.json", "reg.example:5000", "other/x", h.runner());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "alice");
  EXPECT_EQ(c->password, "secret");
  EXPECT_EQ(c->source, "cfg.json");
  c = lookup_auth_file(json, "cfg.json", "reg.example:5000", "team/app", h.runner());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "bob");
  c = lookup_auth_file(json, "cfg.json", "docker.io", "library/debian", h.runner());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "hub");
  EXPECT_FALSE(lookup_auth_file(json, "cfg.json", "elsewhere.io", "a", h.runner()));
  EXPECT_TRUE(h.calls.empty());
}

TEST(Credentials, BadFilesNameTheFileNotTheSecret) {
  FakeHelper h;
  try {
    lookup_auth_file(R"({"auths":{"r.io":{"auth":"bm9jb2xvbg=="}}})", "/x/config.json", "r.io", "a",
                     h.runner());
    FAIL();
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("/x/config.json auths[\"r.io\"]"), std::string::npos) << m;
    EXPECT_EQ(m.find("nocolon"), std::string::npos) << m;
  }
  EXPECT_THROW(lookup_auth_file("{", "/x/config.json", "r.io", "a", h.runner()), Error);
}

TEST(Credentials, HelperProtocol) {
  FakeHelper h;
  std::string json = R"({"credHelpers":{"reg.example:5000":"good"},"credsStore":"none",
      "auths":{"reg.example:5000":{"auth":"YWxpY2U6c2VjcmV0"}}})";
  auto c = lookup_auth_file(json, "cfg", "reg.example:5000", "a", h.runner());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "u");
  EXPECT_EQ(c->password, "p");
  EXPECT_EQ(c->source, "docker-credential-good");
  ASSERT_EQ(h.calls.size(), 1u);
  EXPECT_EQ(h.calls[0], "docker-credential-good get reg.example:5000\n");
  // credsStore "none" has nothing: fall back to auths.
  c = lookup_auth_file(R"({"credsStore":"none","auths":{"r.io":{"auth":"YWxpY2U6c2VjcmV0"}}})",
                       "cfg", "r.io", "a", h.runner());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "alice");
  // Docker Hub is asked about under its legacy URL; "<token>" is an identity token.
  h.calls.clear();
  c = run_credential_helper("tok", "https://index.docker.io/v1/", h.runner());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->identity_token, "refresh");
  EXPECT_TRUE(c->username.empty());
  EXPECT_THROW(run_credential_helper("broken", "r.io", h.runner()), Error);
  EXPECT_THROW(run_credential_helper("../evil", "r.io", h.runner()), Error);
}

TEST(Credentials, RealHelperOnPath) {
  TempDir dir;
  std::string script = join_path(dir.path(), "docker-credential-unit");
  write_file_atomic(
      script,
      "#!/bin/sh\nread s\necho \"{\\\"Username\\\":\\\"x\\\",\\\"Secret\\\":\\\"$s\\\"}\"\n");
  ASSERT_EQ(::chmod(script.c_str(), 0755), 0);
  std::string old = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", (dir.path() + ":" + old).c_str(), 1);
  auto c = run_credential_helper("unit", "r.io", default_helper_runner());
  ::setenv("PATH", old.c_str(), 1);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->password, "r.io");
}

TEST(RegistrySettings, ConfigFile) {
  TempDir dir;
  std::string cfg = join_path(dir.path(), "registries.yaml");
  write_file_atomic(join_path(dir.path(), "ca.pem"), "x");
  write_file_atomic(cfg,
                    "registries:\n  \"r.io:5000\":\n    insecure: true\n    ca-cert: ca.pem\n");
  RegistryOptions o;
  o.config_file = cfg;
  RegistrySettings s = settings_for("r.io:5000", o);
  EXPECT_TRUE(s.insecure);
  EXPECT_EQ(s.ca_cert, join_path(dir.path(), "ca.pem"));
  EXPECT_FALSE(settings_for("other.io", o).insecure);
  write_file_atomic(cfg, "registries:\n  \"r.io:5000\":\n    insecure: true\n    tls: no\n");
  try {
    settings_for("r.io:5000", o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("registries.yaml:4: unknown key 'tls'"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace distill::registry
