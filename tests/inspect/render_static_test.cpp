#include <gtest/gtest.h>

#include "inspect/render.h"

namespace distill::inspect {
namespace {

// What the page holds between `id="ID">` and `end` (the container's own
// closing tag and what follows it in page.html).
std::string static_section(const std::string& page, const std::string& id,
                           const std::string& end = "</div></section>") {
  std::string open = "id=\"" + id + "\">";
  size_t at = page.find(open);
  if (at == std::string::npos) return "";
  at += open.size();
  return page.substr(at, page.find(end, at) - at);
}

// A report with what the static sections read; file and package names
// and a warning carry markup that must stay text.
nlohmann::json static_report() {
  nlohmann::json r;
  r["reference"] = "oci:out/x:latest";
  r["size"] = {{"compressed", 2048}, {"uncompressed", 3 * 1048576}};
  r["files"] = {{"total", 42}};
  r["layers"] = nlohmann::json::array({{{"index", 1}}});
  r["packages"] = nlohmann::json::array();
  r["warnings"] = {{{"code", "world-writable"}, {"message", "/tmp/<b>x</b> is 0777"}}};
  r["config"] = {{"user", "65532"},
                 {"workdir", ""},
                 {"entrypoint", {"/usr/bin/python3.13", "-u"}},
                 {"cmd", nlohmann::json::array()},
                 {"env", {"PATH=/usr/bin", "LANG=C.UTF-8"}},
                 {"exposed_ports", nlohmann::json::array()},
                 {"labels", nlohmann::json::object()},
                 {"created", "1970-01-01T00:00:00Z"}};
  r["os"] = {
      {"pretty_name", "Debian GNU/Linux 13 (trixie)"}, {"id", "debian"}, {"version_id", "13"}};
  r["ca_bundle"] = nullptr;
  r["timezones"] = {{"count", 600}, {"has_utc", true}};
  r["shared_libraries"] = {{"count", 7}, {"glibc_version", "2.41"}};
  r["nsswitch"] = {{"databases", {{"hosts", "files dns"}}}};
  r["skeleton"] = {{{"path", "/tmp"},
                    {"exists", true},
                    {"type", "directory"},
                    {"mode", "1777"},
                    {"uid", 0},
                    {"gid", 0},
                    {"link", nullptr}},
                   {{"path", "/home"}, {"exists", false}}};
  return r;
}

TEST(RenderStatic, CardsWarningsConfigAndSystemAreInThePage) {
  std::string page = render_html(static_report(), {{"name", "/"}, {"size", 0}});
  std::string cards = static_section(page, "cards", "</div>\n<section");
  EXPECT_NE(cards.find("<div class=\"v\">3.0 MiB</div><div class=\"k\">uncompressed</div>"),
            std::string::npos)
      << cards;
  EXPECT_NE(cards.find("<div class=\"v\">42</div><div class=\"k\">files</div>"), std::string::npos);
  EXPECT_NE(cards.find("<div class=\"v\">1</div><div class=\"k\">warnings</div>"),
            std::string::npos);
  EXPECT_EQ(
      static_section(page, "warnings"),
      "<ul class=\"warnings\"><li class=\"warn\">world-writable: /tmp/&lt;b&gt;x&lt;/b&gt; is "
      "0777</li></ul>");
  std::string config = static_section(page, "config");
  EXPECT_NE(config.find("<td>user</td><td class=\"mono\">65532</td>"), std::string::npos) << config;
  EXPECT_NE(config.find("<td>workdir</td><td class=\"mono\">/</td>"), std::string::npos);
  EXPECT_NE(config.find("<td>entrypoint</td><td class=\"mono\">/usr/bin/python3.13 -u</td>"),
            std::string::npos);
  EXPECT_NE(config.find("<td>cmd</td><td class=\"mono\">-</td>"), std::string::npos);
  EXPECT_NE(config.find("<td>env</td><td class=\"mono\">PATH=/usr/bin\nLANG=C.UTF-8</td>"),
            std::string::npos);
  EXPECT_NE(config.find("<td>labels</td><td class=\"mono\">-</td>"), std::string::npos);
  std::string system = static_section(page, "system");
  EXPECT_NE(system.find("<td class=\"mono\">Debian GNU/Linux 13 (trixie) (debian 13)</td>"),
            std::string::npos)
      << system;
  EXPECT_NE(system.find("<td>CA bundle</td><td class=\"mono\">none</td>"), std::string::npos);
  EXPECT_NE(system.find("<td class=\"mono\">600 (UTC present)</td>"), std::string::npos);
  EXPECT_NE(system.find("<td class=\"mono\">7, glibc 2.41</td>"), std::string::npos);
  EXPECT_NE(system.find("<td class=\"mono\">hosts: files dns</td>"), std::string::npos);
  std::string skeleton = static_section(page, "skeleton");
  EXPECT_NE(skeleton.find("<td>/tmp</td><td>directory</td><td>1777</td><td>0:0</td><td>-</td>"),
            std::string::npos)
      << skeleton;
  EXPECT_EQ(skeleton.find("/home"), std::string::npos) << "a path that does not exist is listed";
  EXPECT_NE(page.find("<h2 id=\"packages-title\">Packages (0)</h2>"), std::string::npos);
}

TEST(RenderStatic, NoWarningsSaysNone) {
  nlohmann::json r = static_report();
  r["warnings"] = nlohmann::json::array();
  r["os"] = nullptr;
  std::string page = render_html(r, {{"name", "/"}, {"size", 0}});
  EXPECT_EQ(static_section(page, "warnings"), "<p class=\"muted\">none</p>");
  EXPECT_NE(static_section(page, "system").find("<td>os</td><td class=\"mono\">no os-release</td>"),
            std::string::npos);
}

}  // namespace
}  // namespace distill::inspect
