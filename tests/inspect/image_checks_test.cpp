#include "inspect/image_checks.h"

#include <gtest/gtest.h>

namespace distill::inspect {
namespace {

using Type = TarEntry::Type;

FileInfo checks_entry(const std::string& path, Type type, uint32_t mode,
                      const std::string& extra = "") {
  FileInfo f;
  f.path = path;
  f.type = type;
  f.mode = mode;
  if (type == Type::kSymlink) f.link = extra;
  if (type == Type::kFile) f.shebang = extra;
  return f;
}

// An image with /bin/sh, /app/run (a /bin/sh script), /app/tool (a
// script for a missing interpreter), /app/data (not executable), /usr/bin/x
// reached as bin/x through the bin -> usr/bin link, and a directory /srv.
MergedFs checks_fs(bool with_shell) {
  MergedFs fs;
  LayerScan s;
  s.index = 0;
  s.files = {checks_entry("usr", Type::kDirectory, 0755),
             checks_entry("usr/bin", Type::kDirectory, 0755),
             checks_entry("usr/bin/x", Type::kFile, 0755),
             checks_entry("bin", Type::kSymlink, 0777, "usr/bin"),
             checks_entry("app", Type::kDirectory, 0755),
             checks_entry("app/run", Type::kFile, 0755, "/bin/sh"),
             checks_entry("app/tool", Type::kFile, 0755, "/usr/bin/python3"),
             checks_entry("app/data", Type::kFile, 0644),
             checks_entry("srv", Type::kDirectory, 0755)};
  if (with_shell) s.files.push_back(checks_entry("usr/bin/sh", Type::kFile, 0755));
  fs.apply(s);
  return fs;
}

nlohmann::json checks_report(const std::string& user, nlohmann::json entrypoint,
                             nlohmann::json cmd = nlohmann::json::array(),
                             const std::string& workdir = "/") {
  nlohmann::json r;
  r["config"] = {{"user", user},
                 {"entrypoint", entrypoint},
                 {"cmd", cmd},
                 {"env", nlohmann::json::array({"PATH=/usr/bin"})},
                 {"workdir", workdir}};
  r["accounts"] = {{"users", {{{"name", "root"}}, {{"name", "nonroot"}}}},
                   {"groups", {{{"name", "root"}}}}};
  return r;
}

std::vector<std::string> checks_messages(const MergedFs& fs, const nlohmann::json& report) {
  std::vector<std::string> out;
  for (const auto& f : image_checks(fs, report))
    out.push_back(f.check + "/" + f.field + ": " + f.message);
  return out;
}

using Lines = std::vector<std::string>;

TEST(ImageChecks, PassesWhatCanStart) {
  MergedFs fs = checks_fs(true);
  EXPECT_EQ(checks_messages(fs, checks_report("", nlohmann::json::array({"/app/run"}))), Lines{});
  EXPECT_EQ(checks_messages(fs, checks_report("nonroot:root", nlohmann::json::array({"x"}))),
            Lines{});
  EXPECT_EQ(checks_messages(fs, checks_report("1000:1000", nlohmann::json::array({"/bin/x"}))),
            Lines{});
  // Nothing to start is not this check's business; a missing workdir is made by the runtime.
  EXPECT_EQ(checks_messages(fs, checks_report("0", nlohmann::json::array(), nlohmann::json::array(),
                                              "/new/dir")),
            Lines{});
}

TEST(ImageChecks, UserAndGroupMustResolve) {
  MergedFs fs = checks_fs(true);
  EXPECT_EQ(checks_messages(fs, checks_report("bob:staff", nlohmann::json::array({"x"}))),
            (Lines{"user/user: config.user 'bob' has no entry in the image's /etc/passwd, so the "
                   "container cannot start (add it to users:, or use a numeric uid)",
                   "user/user: config.user's group 'staff' has no entry in the image's "
                   "/etc/group (add it to groups:, or use a numeric gid)"}));
}

TEST(ImageChecks, ProgramMustExistRunAndHaveItsInterpreter) {
  MergedFs with = checks_fs(true), without = checks_fs(false);
  auto ep = [](const char* p) { return nlohmann::json::array({p}); };
  EXPECT_EQ(
      checks_messages(with, checks_report("0", ep("/app/missing"))),
      Lines{"entrypoint/entrypoint: config.entrypoint program '/app/missing' is not in the image"});
  EXPECT_EQ(checks_messages(with, checks_report("0", ep("/app/data"))),
            Lines{"entrypoint/entrypoint: config.entrypoint program '/app/data' is not executable "
                  "(mode 0644)"});
  EXPECT_EQ(checks_messages(with, checks_report("0", ep("/srv"))),
            Lines{"entrypoint/entrypoint: config.entrypoint program '/srv' is not a regular file "
                  "in the image"});
  EXPECT_EQ(checks_messages(with, checks_report("0", ep("/app/tool"))),
            Lines{"entrypoint/entrypoint: config.entrypoint program '/app/tool' is a script for "
                  "/usr/bin/python3, which is not in the image"});
  EXPECT_EQ(checks_messages(without, checks_report("0", ep("/app/run"))),
            Lines{"entrypoint/entrypoint: config.entrypoint program '/app/run' is a script for "
                  "/bin/sh, which is not in the image"});
  // Without an entrypoint, cmd's first word is what runs, found through PATH.
  EXPECT_EQ(checks_messages(with, checks_report("0", nlohmann::json::array(), ep("server"))),
            Lines{"entrypoint/cmd: config.cmd program 'server' is not in the image"});
}

TEST(ImageChecks, WorkdirMustNotBeAFile) {
  MergedFs fs = checks_fs(true);
  EXPECT_EQ(checks_messages(fs, checks_report("0", nlohmann::json::array({"x"}),
                                              nlohmann::json::array(), "/app/data")),
            Lines{"workdir/workdir: config.workdir '/app/data' is a file in the image, not a "
                  "directory"});
  EXPECT_EQ(checks_messages(fs, checks_report("0", nlohmann::json::array({"x"}),
                                              nlohmann::json::array(), "/srv")),
            Lines{});
}

}  // namespace
}  // namespace distill::inspect
