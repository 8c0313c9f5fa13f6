#include "debian/apt_sources.h"

#include <gtest/gtest.h>

#include "util/error.h"
#include "util/fs.h"

namespace distill::debian {
namespace {

TEST(AptSources, OneLineFormatWithOptions) {
  auto s = parse_sources_list(
      "# comment\n"
      "deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/x.gpg] http://127.0.0.1:8/debian/ "
      "bookworm main contrib # trailing\n"
      "deb-src http://127.0.0.1:8/debian bookworm main\n"
      "deb file:///srv/repo stable main\n",
      "sources.list");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].uri, "http://127.0.0.1:8/debian");
  EXPECT_EQ(s[0].suites, std::vector<std::string>{"bookworm"});
  EXPECT_EQ(s[0].components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_EQ(s[0].architectures, (std::vector<std::string>{"amd64", "arm64"}));
  EXPECT_EQ(s[0].signed_by, std::vector<std::string>{"/usr/share/keyrings/x.gpg"});
  EXPECT_EQ(s[0].where, "sources.list:2");
  EXPECT_EQ(s[1].uri, "file:///srv/repo");
}

TEST(AptSources, OneLineErrorsNameTheLine) {
  try {
    parse_sources_list("deb http://x\n", "a.list");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "a.list:1: expected 'deb URI SUITE [COMPONENT...]'");
  }
}

TEST(AptSources, Deb822) {
  std::string text =
      "Types: deb deb-src\n"
      "URIs: http://127.0.0.1:8/debian http://127.0.0.1:9/debian\n"
      "Suites: bookworm bookworm-updates\n"
      "Components: main\n"
      "Signed-By: /k/debian.gpg\n"
      "\n"
      "# disabled\n"
      "Types: deb\n"
      "URIs: http://127.0.0.1:8/off\n"
      "Suites: x\n"
      "Components: main\n"
      "Enabled: no\n"
      "\n"
      "Types: deb-src\n"
      "URIs: http://127.0.0.1:8/src\n"
      "Suites: x\n"
      "\n"
      "Types: deb\n"
      "URIs: http://127.0.0.1:8/third\n"
      "Suites: stable\n"
      "Components: main\n"
      "Architectures: amd64\n"
      "Signed-By:\n"
      " -----BEGIN PGP PUBLIC KEY BLOCK-----\n"
      " .\n"
      " mDMEZabc\n"
      " -----END PGP PUBLIC KEY BLOCK-----\n";
  auto s = parse_deb822_sources(text, "debian.sources");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].uri, "http://127.0.0.1:8/debian");
  EXPECT_EQ(s[1].uri, "http://127.0.0.1:9/debian");
  EXPECT_EQ(s[0].suites, (std::vector<std::string>{"bookworm", "bookworm-updates"}));
  EXPECT_EQ(s[0].signed_by, std::vector<std::string>{"/k/debian.gpg"});
  EXPECT_EQ(s[2].uri, "http://127.0.0.1:8/third");
  EXPECT_EQ(s[2].architectures, std::vector<std::string>{"amd64"});
  EXPECT_TRUE(s[2].signed_by.empty());
  EXPECT_EQ(
      s[2].signed_by_key,
      "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZabc\n-----END PGP PUBLIC KEY BLOCK-----\n");
}

TEST(AptSources, ReadsAFakeRootAndIgnoresOtherFiles) {
  TempDir root;
  std::string etc = root.path() + "/etc/apt";
  make_dirs(etc + "/sources.list.d");
  write_file_atomic(etc + "/sources.list", "deb http://127.0.0.1:1/a stable main\n");
  write_file_atomic(etc + "/sources.list.d/b.list",
                    "deb [signed-by=/etc/apt/keyrings/b.gpg] http://127.0.0.1:1/b stable main\n");
  write_file_atomic(etc + "/sources.list.d/c.sources",
                    "Types: deb\nURIs: http://127.0.0.1:1/c\nSuites: s\nComponents: main\n");
  write_file_atomic(etc + "/sources.list.d/d.list.disabled", "deb http://127.0.0.1:1/d s main\n");
  write_file_atomic(etc + "/sources.list.d/e.sources.bak", "garbage\n");
  auto s = read_apt_sources(root.path());
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].uri, "http://127.0.0.1:1/a");
  EXPECT_EQ(s[1].uri, "http://127.0.0.1:1/b");
  // Signed-By paths are resolved inside the fake root.
  EXPECT_EQ(s[1].signed_by, std::vector<std::string>{root.path() + "/etc/apt/keyrings/b.gpg"});
  EXPECT_EQ(s[2].uri, "http://127.0.0.1:1/c");
}

TEST(AptConf, FlatAndNestedSyntax) {
  auto c = parse_apt_conf(
      "// comment\n"
      "Acquire::http::Proxy \"http://127.0.0.1:3142\";\n"
      "/* block\n comment */\n"
      "Acquire {\n  https { Proxy \"http://127.0.0.1:3143\"; };\n"
      "  http::Proxy::127.0.0.2 \"DIRECT\";\n};\n"
      "# hash comment\n"
      "APT::Install-Recommends \"false\";\n",
      "apt.conf");
  EXPECT_EQ(c["acquire::http::proxy"], "http://127.0.0.1:3142");
  EXPECT_EQ(c["acquire::https::proxy"], "http://127.0.0.1:3143");
  EXPECT_EQ(c["apt::install-recommends"], "false");
  net::ProxyConfig p = apt_proxy_config(c);
  EXPECT_EQ(p.http, "http://127.0.0.1:3142");
  EXPECT_EQ(p.https, "http://127.0.0.1:3143");
  EXPECT_EQ(p.per_host["127.0.0.2"], "DIRECT");
}

TEST(AptConf, LaterFilesWinAndErrorsNameTheFile) {
  TempDir root;
  std::string d = root.path() + "/etc/apt/apt.conf.d";
  make_dirs(d);
  write_file_atomic(d + "/01a", "Acquire::http::Proxy \"http://127.0.0.1:1\";\n");
  write_file_atomic(d + "/02b", "Acquire::http::Proxy \"http://127.0.0.1:2\";\n");
  write_file_atomic(d + "/03c.dpkg-old", "Acquire::http::Proxy \"http://127.0.0.1:3\";\n");
  EXPECT_EQ(apt_proxy_config(read_apt_conf(root.path())).http, "http://127.0.0.1:2");
  write_file_atomic(d + "/04bad", "Acquire { http::Proxy \"x\";\n");
  EXPECT_NO_THROW(read_apt_conf(root.path()));  // unclosed scope at EOF is tolerated like apt
  write_file_atomic(d + "/05bad", "Acquire::http::Proxy \"unterminated;\n");
  try {
    read_apt_conf(root.path());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("05bad:1: unterminated string"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace distill::debian
