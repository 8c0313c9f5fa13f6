// What `ldconfig` does inside an image, without running it: read
// /etc/ld.so.conf (with `include` globs), add Debian's trusted directories,
// find the shared objects in each directory and list them in
// /etc/ld.so.cache. Running on a RootTree, it works for any architecture and
// on layer contents that were never unpacked.
//
// Not emulated, because Debian's runtime images have none of them: glibc-hwcaps
// subdirectories and (glibc < 2.37) legacy hwcap subdirectories such as
// "tls" are not descended into, and a.out libraries are not recognised.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "elf/ld_cache.h"
#include "elf/root_tree.h"

namespace distill::elf {

// The architecture whose ldconfig is emulated: it decides which objects are
// accepted, their flags, the byte order and the multiarch directories.
enum class CacheArch { kAmd64, kI386, kArm64, kArmhf, kArmel, kRiscv64, kS390x, kPpc64el };

// From a Debian architecture name ("amd64", "arm64", ...); nullopt if unknown.
std::optional<CacheArch> cache_arch_from_debian(std::string_view arch);
const char* multiarch_triplet(CacheArch arch);  // "x86_64-linux-gnu", ...

struct LdconfigOptions {
  CacheArch arch = CacheArch::kAmd64;
  // glibc's version as major*100+minor (Debian 12: 236, Debian 13: 241).
  // Before 2.37 ldconfig typed an object "ELF" unless it used libc.so.6; from
  // 2.37 every ELF object is "libc6".
  int glibc_version = 241;
  // The extension's generator text, e.g. "ldconfig (Debian GLIBC
  // 2.41-12+deb13u3) stable release version 2.41" (no NUL).
  std::string generator;
};

// The generator string ldconfig of libc-bin `deb_version` writes, e.g.
// ("2.41-12+deb13u3") -> "ldconfig (Debian GLIBC 2.41-12+deb13u3) stable
// release version 2.41".
std::string debian_ldconfig_generator(std::string_view deb_version);

// Options for Debian's ldconfig of libc-bin `libc_bin_version` (the version
// of the image's libc-bin or libc6 package, e.g. "2.41-12+deb13u3") on
// `debian_arch` ("amd64"). Throws distill::Error naming the unsupported
// architecture or the unparseable version.
LdconfigOptions debian_ldconfig_options(std::string_view debian_arch,
                                        std::string_view libc_bin_version);

// Scans `root` as ldconfig would and returns the cache, entries sorted.
// Unreadable or malformed files are skipped, as ldconfig skips them; I/O
// errors of the tree's readers propagate.
LdCache build_ld_cache(const RootTree& root, const LdconfigOptions& options);

// The bytes of /etc/ld.so.cache for `root`: build_ld_cache, serialised.
std::string generate_ld_so_cache(const RootTree& root, const LdconfigOptions& options);

// glibc's _dl_is_dso: whether ldconfig looks at a file named `name` at all
// (lib*.so*, ld-*.so*, ld.so.*, ld64.so.*).
bool is_library_name(std::string_view name);

// The directories ldconfig scans, in order, as written in the configuration
// (duplicates by identity removed). Exposed for `inspect` and tests.
std::vector<std::string> ldconfig_directories(const RootTree& root, CacheArch arch);

}  // namespace distill::elf
