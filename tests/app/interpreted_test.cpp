// --from auto's reading of an entry file (app/interpreted.h) and the
// interpreters table (app/auto_from.h), against the shipped images/.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>

#include "app/app_image.h"
#include "app/auto_from.h"
#include "app/interpreted.h"
#include "error_of.h"
#include "util/fs.h"
#include "util/handles.h"

namespace distill::app {

namespace {

struct InterpretedTest : ::testing::Test {
  TempDir tmp;
  std::vector<std::string> dirs{std::string(DISTILL_SOURCE_DIR) + "/images"};
  std::string put(const std::string& name, const std::string& data) {
    std::string p = join_path(tmp.path(), name);
    write_file_atomic(p, data);
    return p;
  }
  // A zip holding `files` (name, content), as a jar is.
  std::string zip(const std::string& name,
                  const std::vector<std::pair<std::string, std::string>>& files) {
    std::string p = join_path(tmp.path(), name);
    ArchiveWritePtr a(archive_write_new());
    archive_write_set_format_zip(a.get());
    archive_write_open_filename(a.get(), p.c_str());
    for (const auto& [path, data] : files) {
      ArchiveEntryPtr e(archive_entry_new());
      archive_entry_set_pathname(e.get(), path.c_str());
      archive_entry_set_filetype(e.get(), AE_IFREG);
      archive_entry_set_perm(e.get(), 0644);
      archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
      archive_write_header(a.get(), e.get());
      archive_write_data(a.get(), data.data(), data.size());
    }
    archive_write_close(a.get());
    return p;
  }
  AutoChoice choose(const std::string& path, const std::string& release = "") {
    AutoInput in;
    in.entry_host = path;
    in.entry_dest = "/app/x";
    in.shown = "x";
    in.release = release;
    in.search_dirs = dirs;
    return choose_auto_base(in);
  }
};

}  // namespace

TEST_F(InterpretedTest, ShebangsExtensionsAndJars) {
  EXPECT_EQ(classify_entry(put("a", "#!/usr/bin/python3\nprint(1)\n"), "a").runtime, "python3");
  EXPECT_EQ(classify_entry(put("b", "#!/usr/bin/env -S python3.13 -u\n"), "b").reason,
            "a script whose #! line names python3.13");
  EXPECT_EQ(classify_entry(put("c", "#!/usr/bin/env node\n"), "c").runtime, "node");
  EXPECT_EQ(classify_entry(put("d.py", "print(1)\n"), "d.py").reason, "a .py file");
  EXPECT_EQ(classify_entry(put("e",
                               "\x7f"
                               "ELF\x02\x01\x01"),
                           "e")
                .kind,
            EntryKind::kElf);
  EntryKind jar = classify_entry(zip("app.jar", {{"META-INF/MANIFEST.MF",
                                                  "Manifest-Version: 1.0\r\nMain-Class: org.ex\r\n"
                                                  " ample.Main\r\n\r\n"},
                                                 {"org/example/Main.class", "\xca\xfe\xba\xbe"}}),
                                 "app.jar");
  EXPECT_EQ(jar.runtime, "java");
  EXPECT_EQ(jar.reason, "a jar, Main-Class org.example.Main");
}

TEST_F(InterpretedTest, WhatAutoDoesNotKnowIsOneLine) {
  EXPECT_EQ(error_of([&] { classify_entry(put("s.sh", "#!/bin/sh\necho\n"), "s.sh"); }),
            "s.sh: a script for '/bin/sh', which --from auto does not know (it knows #! lines "
            "naming python3 or node, .py files and jars); name a base with --from");
  EXPECT_EQ(error_of([&] { classify_entry(put("t.txt", "hello\n"), "t.txt"); }),
            "t.txt: not an ELF program and not a script --from auto knows (a #! line naming "
            "python3 or node, a .py file or a jar); name a base with --from");
  EXPECT_EQ(error_of([&] {
              classify_entry(zip("lib.jar", {{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"}}),
                             "lib.jar");
            }),
            "lib.jar: a jar without a Main-Class in META-INF/MANIFEST.MF, so java -jar cannot "
            "run it; add one (jar --main-class) or name a base with --from");
}

TEST_F(InterpretedTest, TheTablePicksWithinTheRelease) {
  std::string py = put("x.py", "print(1)\n");
  AutoChoice c = choose(py);
  EXPECT_EQ(c.base, "python3-debian13");
  EXPECT_TRUE(c.base_entrypoint_runs_it);
  EXPECT_EQ(choose(py, "debian12").base, "python3-debian12");
  std::string jar = zip("a.jar", {{"META-INF/MANIFEST.MF", "Main-Class: A\n"}});
  EXPECT_EQ(choose(jar).base, "java21-debian13");
  EXPECT_EQ(choose(jar, "debian12").base, "java17-debian12");
  EXPECT_EQ(
      error_of([&] { choose(py, "debian31"); }).rfind("--release: unknown release 'debian31'", 0),
      0u);
}

TEST_F(InterpretedTest, AppFlagsBecomeTheDefinition) {
  std::string py = put("server.py", "print(1)\n");
  AppRequest req;
  req.from = "auto";
  req.apps = {py};
  req.user = "65532";
  req.env = {"PORT=8080"};
  AppImage img = app_definition(req, dirs);
  EXPECT_EQ(img.def.config.entrypoint,
            (std::vector<std::string>{"/usr/bin/python3.13", "/app/server.py"}));
  ASSERT_EQ(img.def.apps.size(), 1u);
  EXPECT_EQ(img.def.apps[0].dest, "/app/server.py");
  EXPECT_EQ(img.def.config.user, "65532");
  EXPECT_EQ(img.def.config.where["user"], "--user");
  EXPECT_EQ(img.def.parts.back(), "app");
  EXPECT_EQ(parse_app_flag("dist:/srv/").dest, "/srv/dist");
  EXPECT_EQ(error_of([] { parse_app_flag("x:/a/../b"); }),
            "--app x:/a/../b: DEST must not contain '..' (it would escape the image root)");
  req.from = "cc";
  req.release = "debian12";
  req.entrypoint = std::vector<std::string>{"/app/server.py"};
  EXPECT_EQ(app_definition(req, dirs).def.release, "debian12");
  req.owner = "bob";
  EXPECT_EQ(error_of([&] { app_definition(req, dirs); }),
            "--app-owner must be UID[:GID] in numbers, not 'bob'");
}

}  // namespace distill::app
