// distill's ld.so.cache against glibc's own: both run on the same root built
// from this machine's libraries, and the caches must list the same entries in
// the same order (and, with the same generator string, be the same bytes).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "elf/ld_cache.h"
#include "elf/ldconfig.h"
#include "elf/root_tree.h"
#include "util/fs.h"
#include "util/process.h"

namespace distill::elf {
namespace {

namespace fs = std::filesystem;

const char* kHostLibDir = "/usr/lib/x86_64-linux-gnu";

std::string find_ldconfig() {
  for (const char* p : {"/sbin/ldconfig", "/usr/sbin/ldconfig"})
    if (path_exists(p)) return p;
  return find_program("ldconfig");
}

// Copies the host library `soname` (a symlink or file in kHostLibDir) into
// `dest` under its real file name, plus the soname link when they differ, as
// the Debian package ships it. Returns false when the host lacks it.
bool copy_lib(const std::string& soname, const std::string& dest,
              const std::string& from = kHostLibDir) {
  fs::path src = fs::path(from) / soname;
  std::error_code ec;
  fs::path real = fs::canonical(src, ec);
  if (ec) return false;
  make_dirs(dest);
  fs::copy_file(real, fs::path(dest) / real.filename(), fs::copy_options::overwrite_existing);
  if (real.filename() != soname) fs::create_symlink(real.filename(), fs::path(dest) / soname);
  return true;
}

void write(const std::string& path, const std::string& text) {
  make_dirs(parent_dir(path));
  write_file_atomic(path, text);
}

// Compiles `source` with the system C compiler; false when there is none.
bool cc(const std::string& out, const std::vector<std::string>& flags,
        const std::string& source = "int distill_probe(void) { return 42; }\n") {
  std::string compiler = find_program("cc");
  if (compiler.empty()) return false;
  std::string src = out + ".c";
  write(src, source);
  std::vector<std::string> argv = {compiler, "-o", out, src};
  argv.insert(argv.end(), flags.begin(), flags.end());
  auto r = run_process(argv);
  ::unlink(src.c_str());
  if (r.exit_code != 0) ADD_FAILURE() << "cc failed: " << r.err;
  return r.exit_code == 0;
}

// ldconfig's own generator string and glibc version, from --version
// ("ldconfig (Debian GLIBC 2.36-9+deb12u14) 2.36").
LdconfigOptions options_for(const std::string& ldconfig) {
  auto r = run_process({ldconfig, "--version"});
  std::string line = r.out.substr(0, r.out.find('\n'));
  size_t open = line.find('('), close = line.rfind(')');
  LdconfigOptions o;
  o.arch = CacheArch::kAmd64;
  if (open == std::string::npos || close == std::string::npos) return o;
  std::string upstream = line.substr(close + 2);
  o.generator =
      "ldconfig " + line.substr(open, close - open + 1) + " stable release version " + upstream;
  size_t dot = upstream.find('.');
  o.glibc_version = std::stoi(upstream.substr(0, dot)) * 100 + std::stoi(upstream.substr(dot + 1));
  return o;
}

std::string listing(const LdCache& c) {
  std::ostringstream s;
  for (const auto& e : c.entries)
    s << "  " << e.soname << " (0x" << std::hex << e.flags << std::dec << ") => " << e.path << "\n";
  return s.str();
}

// Runs both generators on `root` and compares; returns distill's cache.
LdCache compare_on(const std::string& root, const std::string& ldconfig) {
  LdconfigOptions opt = options_for(ldconfig);
  // distill first: ldconfig creates soname links in the root it scans.
  std::string ours = serialize_ld_cache(build_ld_cache(RootTree::from_directory(root), opt));
  auto r = run_process({ldconfig, "-C", "/distill-ldconfig.cache", "-r", root});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string theirs = read_file(root + "/distill-ldconfig.cache");
  LdCache a = parse_ld_cache(ours, "distill"), b = parse_ld_cache(theirs, "ldconfig");
  EXPECT_EQ(a.entries, b.entries) << "distill:\n" << listing(a) << "ldconfig:\n" << listing(b);
  EXPECT_EQ(a.generator, b.generator);
  EXPECT_EQ(ours.size(), theirs.size());
  EXPECT_TRUE(ours == theirs) << "same entries but different bytes";
  // Shown in the test log, so that a reader sees what was compared.
  std::cout << a.entries.size() << " entries, " << ours.size() << " bytes, generator \""
            << a.generator << "\"\n"
            << listing(a);
  return a;
}

bool has_soname(const LdCache& c, const std::string& soname, const std::string& path) {
  for (const auto& e : c.entries)
    if (e.soname == soname && e.path == path) return true;
  return false;
}

const std::vector<std::string> kLibs = {
    "libc.so.6",         "libm.so.6",      "libssl.so.3",         "libcrypto.so.3", "libz.so.1",
    "libzstd.so.1",      "libstdc++.so.6", "libgcc_s.so.1",       "libffi.so.8",    "libexpat.so.1",
    "liblzma.so.5",      "libbz2.so.1.0",  "libsqlite3.so.0",     "libuuid.so.1",   "libtinfo.so.6",
    "libnss_files.so.2", "libresolv.so.2", "ld-linux-x86-64.so.2"};

// The custom directory of the test image, plus the files ldconfig
// must skip or treat specially.
void add_custom_dir(const std::string& root) {
  std::string lib = root + "/opt/custom/lib";
  make_dirs(lib);
  write(root + "/etc/ld.so.conf.d/custom.conf", "# a vendor's directory\n/opt/custom/lib/\n");
  if (cc(lib + "/libcustom.so.1.2.3", {"-shared", "-fPIC", "-Wl,-soname,libcustom.so.1"})) {
    fs::create_symlink("libcustom.so.1.2.3", lib + "/libcustom.so.1");
    fs::create_symlink("libcustom.so.1", lib + "/libcustom.so");  // dev link: own entry
    fs::create_symlink("libcustom.so.1.2.3", lib + "/libcustom.so.1.2");
  }
  cc(lib + "/libnosoname.so", {"-shared", "-fPIC"});  // entry named by file
  cc(lib + "/libpie.so.1", {"-fPIE", "-pie"}, "int main(void) { return 0; }\n");
  cc(lib + "/libnopie.so.1", {"-no-pie"}, "int main(void) { return 0; }\n");  // ET_EXEC
  write(lib + "/libscript.so", "/* GNU ld script */\nGROUP ( libcustom.so.1 )\n");
  fs::create_symlink("libgone.so.1.0", lib + "/libgone.so.1");  // dangling
  make_dirs(lib + "/libdir.so.1");
  copy_lib("libz.so.1", lib);  // a second libz.so.1, in an earlier directory
}

TEST(LdconfigCompare, MergedUsrRootLikeDebian13) {
  std::string ldconfig = find_ldconfig();
  if (ldconfig.empty()) GTEST_SKIP() << "ldconfig is not installed; nothing to compare with";
  if (!is_directory(kHostLibDir)) GTEST_SKIP() << kHostLibDir << " missing: not an amd64 host";
  TempDir tmp;
  std::string root = tmp.path() + "/root";
  std::string multi = root + "/usr/lib/x86_64-linux-gnu";
  for (const auto& l : kLibs) copy_lib(l, multi);
  fs::create_symlink("usr/lib", root + "/lib");
  fs::create_symlink("usr/lib64", root + "/lib64");
  make_dirs(root + "/usr/lib64");
  fs::create_symlink("../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                     root + "/usr/lib64/ld-linux-x86-64.so.2");
  write(root + "/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n\n");
  write(root + "/etc/ld.so.conf.d/libc.conf", "# libc default configuration\n/usr/local/lib\n");
  write(root + "/etc/ld.so.conf.d/x86_64-linux-gnu.conf",
        "# Multiarch support\n/usr/local/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu\n"
        "/usr/lib/x86_64-linux-gnu\n");
  add_custom_dir(root);
  // 32-bit objects, typed by their libc use on glibc < 2.37.
  if (is_directory("/usr/lib32") && copy_lib("libc.so.6", root + "/usr/lib32", "/usr/lib32")) {
    copy_lib("ld-linux.so.2", root + "/usr/lib32", "/usr/lib32");
    write(root + "/etc/ld.so.conf.d/zz_i386-biarch-compat.conf", "/lib32\n/usr/lib32\n");
  }
  LdCache c = compare_on(root, ldconfig);
  EXPECT_TRUE(has_soname(c, "libssl.so.3", "/lib/x86_64-linux-gnu/libssl.so.3")) << listing(c);
  EXPECT_TRUE(has_soname(c, "libcustom.so.1", "/opt/custom/lib/libcustom.so.1")) << listing(c);
  EXPECT_TRUE(has_soname(c, "libz.so.1", "/opt/custom/lib/libz.so.1")) << listing(c);
}

TEST(LdconfigCompare, SplitUsrRootLikeDebian12) {
  std::string ldconfig = find_ldconfig();
  if (ldconfig.empty()) GTEST_SKIP() << "ldconfig is not installed; nothing to compare with";
  if (!is_directory(kHostLibDir)) GTEST_SKIP() << kHostLibDir << " missing: not an amd64 host";
  TempDir tmp;
  std::string root = tmp.path() + "/root";
  // Debian 12's distroless images are not usr-merged, and have libc6's
  // ld.so.conf.d snippet but no /etc/ld.so.conf (that is libc-bin's).
  for (const char* l : {"libc.so.6", "libm.so.6", "libz.so.1", "libgcc_s.so.1", "libresolv.so.2",
                        "ld-linux-x86-64.so.2"})
    copy_lib(l, root + "/lib/x86_64-linux-gnu");
  for (const char* l : {"libssl.so.3", "libcrypto.so.3", "libstdc++.so.6", "libffi.so.8",
                        "libsqlite3.so.0", "libz.so.1"})
    copy_lib(l, root + "/usr/lib/x86_64-linux-gnu");
  make_dirs(root + "/lib64");
  fs::create_symlink("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                     root + "/lib64/ld-linux-x86-64.so.2");
  write(root + "/etc/ld.so.conf.d/x86_64-linux-gnu.conf",
        "# Multiarch support\n/usr/local/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu\n"
        "/usr/lib/x86_64-linux-gnu\n");
  LdCache c = compare_on(root, ldconfig);
  EXPECT_TRUE(has_soname(c, "libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1")) << listing(c);
  EXPECT_TRUE(has_soname(c, "libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1")) << listing(c);
  EXPECT_TRUE(has_soname(c, "libssl.so.3", "/usr/lib/x86_64-linux-gnu/libssl.so.3")) << listing(c);
}

}  // namespace
}  // namespace distill::elf
