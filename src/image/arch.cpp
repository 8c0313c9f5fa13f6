#include "image/arch.h"

#include <sys/utsname.h>

#include "util/error.h"

namespace distill {

namespace {

struct ArchRow {
  const char* debian;
  const char* oci;
  const char* variant;
  const char* triplet;
};

constexpr ArchRow kArches[] = {
    {"amd64", "amd64", "", "x86_64-linux-gnu"},
    {"arm64", "arm64", "v8", "aarch64-linux-gnu"},
    {"armhf", "arm", "v7", "arm-linux-gnueabihf"},
    {"armel", "arm", "v5", "arm-linux-gnueabi"},
    {"i386", "386", "", "i386-linux-gnu"},
    {"ppc64el", "ppc64le", "", "powerpc64le-linux-gnu"},
    {"s390x", "s390x", "", "s390x-linux-gnu"},
    {"riscv64", "riscv64", "", "riscv64-linux-gnu"},
    {"mips64el", "mips64le", "", "mips64el-linux-gnuabi64"},
};

const ArchRow& row(const std::string& arch) {
  for (const auto& r : kArches) {
    if (arch == r.debian) return r;
  }
  std::string list;
  for (const auto& r : kArches) list += std::string(list.empty() ? "" : ", ") + r.debian;
  throw Error("unknown Debian architecture '" + arch + "' (known: " + list + ")");
}

}  // namespace

oci::Platform platform_for_debian_arch(const std::string& arch) {
  const ArchRow& r = row(arch);
  oci::Platform p;
  p.os = "linux";
  p.architecture = r.oci;
  p.variant = r.variant;
  return p;
}

std::string debian_arch_for_platform(const oci::Platform& p) {
  for (const auto& r : kArches) {
    if (p.architecture == r.oci && (p.variant.empty() || p.variant == r.variant)) return r.debian;
  }
  throw Error("no Debian architecture for platform " + p.to_string());
}

std::string debian_arch_for_platform_text(const std::string& text) {
  std::string known;
  for (const auto& r : kArches) {
    known +=
        std::string(known.empty() ? "" : ", ") + platform_for_debian_arch(r.debian).to_string();
  }
  oci::Platform p;
  try {
    p = oci::parse_platform(text);
  } catch (const Error&) {
    throw Error("bad platform '" + text + "' (expected OS/ARCH[/VARIANT]; known: " + known + ")");
  }
  if (p.os != "linux" || text.find('/') == std::string::npos)
    throw Error("unknown platform '" + text + "' (Debian images are linux/...; known: " + known +
                ")");
  for (const auto& r : kArches) {
    if (p.architecture == r.oci && (p.variant.empty() || p.variant == r.variant)) return r.debian;
  }
  throw Error("unknown platform '" + text + "' (known: " + known + ")");
}

std::string host_debian_arch() {
  struct utsname u;
  ::uname(&u);
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  if (m.rfind("armv7", 0) == 0) return "armhf";
  if (m == "ppc64le") return "ppc64el";
  if (m == "s390x") return "s390x";
  if (m == "riscv64") return "riscv64";
  if (m == "i686" || m == "i386") return "i386";
  throw Error("cannot map this machine's architecture '" + m + "' to a Debian one; pass --arch");
}

std::string gnu_triplet(const std::string& debian_arch) {
  return row(debian_arch).triplet;
}

}  // namespace distill
