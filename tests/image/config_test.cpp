#include "image/config.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "image/generated.h"
#include "image/layer_plan.h"
#include "util/error.h"

namespace distill {

namespace {

const oci::Platform kAmd64{"linux", "amd64", ""};
const std::vector<std::string> kIds = {
    "sha256:1111111111111111111111111111111111111111111111111111111111111111",
    "sha256:2222222222222222222222222222222222222222222222222222222222222222"};
const std::vector<std::string> kWhat = {"package libc6 2.36-9+deb12u10",
                                        "generated files: /etc/passwd"};

}  // namespace

TEST(RenderConfig, MinimalHasPathAndTheEpoch) {
  std::string s = render_config({}, kAmd64, kIds, kWhat);
  auto c = nlohmann::json::parse(s);
  EXPECT_EQ(c["architecture"], "amd64");
  EXPECT_EQ(c["os"], "linux");
  EXPECT_FALSE(c.contains("variant"));
  EXPECT_EQ(c["created"], "1970-01-01T00:00:00Z");
  EXPECT_EQ(c["config"]["Env"], nlohmann::json::array({kDefaultPath}));
  EXPECT_EQ(c["rootfs"]["type"], "layers");
  EXPECT_EQ(c["rootfs"]["diff_ids"], kIds);
  EXPECT_FALSE(c["config"].contains("User"));
  EXPECT_FALSE(c["config"].contains("Entrypoint"));
  // Compact, sorted: the same spec always gives the same bytes.
  EXPECT_EQ(s, c.dump());
  EXPECT_EQ(s, render_config({}, kAmd64, kIds, kWhat));
}

TEST(RenderConfig, OneHistoryEntryPerLayerInOrder) {
  auto c = nlohmann::json::parse(render_config({}, kAmd64, kIds, kWhat));
  ASSERT_TRUE(c["history"].is_array());
  ASSERT_EQ(c["history"].size(), kIds.size());
  EXPECT_EQ(c["history"][0], nlohmann::json({{"created", "1970-01-01T00:00:00Z"},
                                             {"created_by", "package libc6 2.36-9+deb12u10"}}));
  EXPECT_EQ(c["history"][1]["created_by"], "generated files: /etc/passwd");
  // No empty_layer entries: every entry is one of the rootfs layers.
  for (const auto& h : c["history"]) {
    EXPECT_FALSE(h.contains("empty_layer"));
    EXPECT_EQ(h.size(), 2u) << h.dump();
  }
}

TEST(RenderConfig, CreatedOverridesTheConfigAndHistoryTime) {
  ImageConfigSpec spec;
  spec.created = "2024-01-01T00:00:00Z";
  auto c = nlohmann::json::parse(render_config(spec, kAmd64, kIds, kWhat));
  EXPECT_EQ(c["created"], "2024-01-01T00:00:00Z");
  for (const auto& h : c["history"]) EXPECT_EQ(h["created"], "2024-01-01T00:00:00Z");
}

TEST(RenderConfig, HistoryMustMatchTheLayers) {
  EXPECT_THROW(render_config({}, kAmd64, kIds, {"one"}), Error);
  auto c = nlohmann::json::parse(render_config({}, kAmd64, {}, {}));
  EXPECT_EQ(c["history"], nlohmann::json::array());
}

TEST(RenderConfig, EveryField) {
  ImageConfigSpec spec;
  spec.env = std::vector<std::string>{"PATH=/custom", "A=1"};
  spec.user = "65532:65532";
  spec.workdir = "/home/nonroot";
  spec.entrypoint = std::vector<std::string>{"/app", "--x"};
  spec.cmd = std::vector<std::string>{"serve"};
  spec.labels = {{"k", "v"}};
  spec.exposed_ports = {"8080/tcp", "53/udp"};
  spec.volumes = {"/data"};
  spec.stop_signal = "SIGINT";
  spec.created = "2024-01-01T00:00:00Z";
  auto c = nlohmann::json::parse(render_config(spec, {"linux", "arm64", "v8"}, {}, {}));
  EXPECT_EQ(c["variant"], "v8");
  EXPECT_EQ(c["created"], "2024-01-01T00:00:00Z");
  auto& rc = c["config"];
  EXPECT_EQ(rc["Env"], nlohmann::json::array({"PATH=/custom", "A=1"}));  // no second PATH
  EXPECT_EQ(rc["User"], "65532:65532");
  EXPECT_EQ(rc["WorkingDir"], "/home/nonroot");
  EXPECT_EQ(rc["Entrypoint"], nlohmann::json::array({"/app", "--x"}));
  EXPECT_EQ(rc["Cmd"], nlohmann::json::array({"serve"}));
  EXPECT_EQ(rc["Labels"]["k"], "v");
  EXPECT_TRUE(rc["ExposedPorts"].contains("8080/tcp"));
  EXPECT_TRUE(rc["ExposedPorts"].contains("53/udp"));
  EXPECT_TRUE(rc["Volumes"].contains("/data"));
  EXPECT_EQ(rc["StopSignal"], "SIGINT");
  EXPECT_EQ(c["rootfs"]["diff_ids"], nlohmann::json::array());
}

TEST(RenderConfig, EnvPathIsPrependedOnlyWhenMissing) {
  ImageConfigSpec spec;
  spec.env = std::vector<std::string>{"A=1"};
  auto c = nlohmann::json::parse(render_config(spec, kAmd64, {}, {}));
  EXPECT_EQ(c["config"]["Env"], nlohmann::json::array({kDefaultPath, "A=1"}));
}

TEST(RenderConfig, EmptyEntrypointIsOmitted) {
  ImageConfigSpec spec;
  spec.entrypoint = std::vector<std::string>{};
  auto c = nlohmann::json::parse(render_config(spec, kAmd64, {}, {}));
  EXPECT_FALSE(c["config"].contains("Entrypoint"));
}

TEST(Generated, PasswdGroupOsRelease) {
  UserSpec u{"nonroot", 65532, 65532, "nonroot", "/home/nonroot", "/sbin/nologin", {}, ""};
  EXPECT_EQ(render_passwd({u}), "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
  GroupSpec g{"tty", 5, {"a", "b"}, ""};
  EXPECT_EQ(render_group({g}), "tty:x:5:a,b\n");
  EXPECT_EQ(render_os_release({{"ID", "debian"}, {"PRETTY_NAME", "say \"$hi\""}}),
            "ID=\"debian\"\nPRETTY_NAME=\"say \\\"\\$hi\\\"\"\n");
}

TEST(Generated, PlanFromDefinition) {
  Definition def;
  def.path = "d.yaml";
  UserSpec u{"nonroot", 65532, 65532, "nonroot", "/home/nonroot", "/sbin/nologin", 0700u, "d:3"};
  def.users = {u};
  def.groups = {{"nonroot", 65532, {}, "d:4"}};
  def.directories = {{"/home/nonroot", 0755, 0, 0, "d:5"}, {"/tmp", 01777, 0, 0, "d:6"}};
  FileSpec f;
  f.dest = "/etc/motd";
  f.content = "hi";
  f.where = "d:7";
  def.files = {f};
  def.symlinks = {{"/bin", "usr/bin", 0, 0, "d:8"}};
  GeneratedFiles plan;
  plan_generated(def, "amd64", plan);
  EXPECT_TRUE(plan.contains("/etc/passwd"));
  EXPECT_TRUE(plan.contains("/etc/group"));
  EXPECT_TRUE(plan.contains("/home/nonroot"));
  EXPECT_TRUE(plan.contains("/tmp"));
  EXPECT_TRUE(plan.contains("/etc/motd"));
  EXPECT_TRUE(plan.contains("/bin"));
  EXPECT_FALSE(plan.contains("/usr/lib/os-release"));
}

}  // namespace distill
