#include "elf/ldconfig.h"

#include <fnmatch.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "util/error.h"

namespace distill::elf {

namespace {

constexpr uint16_t kEm386 = 3, kEmIa64 = 50, kEmX8664 = 62;
constexpr int32_t kFlagAny = -1;
// ldconfig follows `include` without a bound; a hostile image must not be
// able to recurse us off the stack.
constexpr int kMaxIncludeDepth = 32;
constexpr size_t kMaxConfBytes = 1 << 20;
// glob over a symlink loop ("/*/*/*/..." through "/x -> /") grows
// exponentially; real configurations include a handful of files.
constexpr size_t kMaxGlobMatches = 4096;
constexpr size_t kMaxConfFiles = 4096;

struct ArchInfo {
  CacheArch arch;
  const char* debian;
  const char* triplet;
  bool big_endian;
  bool signed_char;
  bool is64;  // the ldconfig binary's own class: sizeof(ElfW(Ehdr)) is its minimum file size
  std::vector<std::string> interpreters;  // glibc < 2.37: PT_INTERP values that mean libc6
};

const std::vector<ArchInfo>& arch_table() {
  static const std::vector<std::string> x86 = {"/lib/ld-linux.so.2", "/libx32/ld-linux-x32.so.2",
                                               "/lib64/ld-linux-x86-64.so.2"};
  static const std::vector<std::string> arm = {"/lib/ld-linux.so.3", "/lib/ld-linux-armhf.so.3",
                                               "/lib/ld-linux-aarch64.so.1"};
  static const std::vector<ArchInfo> table = {
      {CacheArch::kAmd64, "amd64", "x86_64-linux-gnu", false, true, true, x86},
      {CacheArch::kI386, "i386", "i386-linux-gnu", false, true, false, x86},
      {CacheArch::kArm64, "arm64", "aarch64-linux-gnu", false, false, true, arm},
      {CacheArch::kArmhf, "armhf", "arm-linux-gnueabihf", false, false, false, arm},
      {CacheArch::kArmel, "armel", "arm-linux-gnueabi", false, false, false, arm},
      {CacheArch::kRiscv64,
       "riscv64",
       "riscv64-linux-gnu",
       false,
       false,
       true,
       {"/lib/ld-linux-riscv64-lp64d.so.1", "/lib/ld-linux-riscv64-lp64.so.1"}},
      {CacheArch::kS390x, "s390x", "s390x-linux-gnu", true, false, true, {"/lib/ld64.so.1"}},
      {CacheArch::kPpc64el,
       "ppc64el",
       "powerpc64le-linux-gnu",
       false,
       false,
       true,
       {"/lib/ld.so.1", "/lib64/ld64.so.2"}},
  };
  return table;
}

const ArchInfo& info_of(CacheArch arch) {
  for (const auto& a : arch_table())
    if (a.arch == arch) return a;
  throw Error("ld.so.cache: unknown architecture");
}

// A directory to scan: the path as written in the configuration (the cache
// records paths that way, which is why Debian's read /lib/<triplet>/...),
// and its resolved identity, which ldconfig compares by inode.
struct DirEntry {
  std::string path;
  std::string canonical;
  int32_t flag = kFlagAny;
};

std::string dirname_of(const std::string& p) {
  size_t s = p.rfind('/');
  if (s == std::string::npos) return ".";
  return s == 0 ? "/" : p.substr(0, s);
}

bool has_glob_magic(const std::string& s) {
  return s.find_first_of("*?[\\") != std::string::npos;
}

// glob(3) with flags 0 over the tree: wildcards in any component, a leading
// '.' matched only explicitly, results sorted bytewise (ldconfig sets
// LC_COLLATE=C).
std::vector<std::string> glob_tree(const RootTree& root, const std::string& pattern) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < pattern.size();) {
    size_t j = pattern.find('/', i);
    if (j == std::string::npos) j = pattern.size();
    if (j > i) parts.push_back(pattern.substr(i, j - i));
    i = j + 1;
  }
  std::vector<std::string> found = {""};
  for (size_t k = 0; k < parts.size(); ++k) {
    std::vector<std::string> next;
    for (const auto& base : found) {
      auto dir = root.resolve(base.empty() ? "/" : base);
      if (!dir || root.find(*dir)->type != RootTree::Type::kDirectory) continue;
      if (!has_glob_magic(parts[k])) {
        // A literal component only has to exist; the next component's
        // directory check drops it if it is not a directory.
        if (root.find(*dir + "/" + parts[k])) next.push_back(base + "/" + parts[k]);
        continue;
      }
      for (const auto& name : root.list(*dir))
        if (::fnmatch(parts[k].c_str(), name.c_str(), FNM_PERIOD) == 0)
          next.push_back(base + "/" + name);
      if (next.size() > kMaxGlobMatches)
        throw Error("ld.so.conf: include pattern '" + pattern + "' matches more than " +
                    std::to_string(kMaxGlobMatches) + " paths; narrow it");
    }
    found = std::move(next);
  }
  if (parts.empty()) return {};
  std::sort(found.begin(), found.end());
  return found;
}

class ConfigReader {
 public:
  explicit ConfigReader(const RootTree& root) : root_(root) {}

  void parse_file(const std::string& filename, int depth) {
    if (++files_ > kMaxConfFiles)
      throw Error(filename + ": ld.so.conf includes more than " + std::to_string(kMaxConfFiles) +
                  " files; remove the repeated includes");
    auto real = root_.resolve(filename);
    if (!real || root_.find(*real)->type != RootTree::Type::kFile) return;
    std::string text = root_.read_all(*real, kMaxConfBytes);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      parse_line(filename, text.substr(pos, nl - pos), depth);
      pos = nl + 1;
    }
  }

  // ldconfig's add_dir_1: "path[=type]", trailing blanks and slashes dropped.
  void add_dir(std::string line) {
    int32_t flag = kFlagAny;
    size_t eq = line.find('=');
    if (eq != std::string::npos) {
      std::string type = line.substr(eq + 1);
      line.resize(eq);
      if (type == "libc4") flag = 0;
      if (type == "libc5") flag = kCacheFlagLibc5;
      if (type == "libc6" || type == "glibc2") flag = kCacheFlagLibc6;
    }
    while (!line.empty() &&
           (std::isspace(static_cast<unsigned char>(line.back())) || line.back() == '/'))
      line.pop_back();
    if (line.empty()) return;
    auto canonical = root_.resolve(line);
    if (!canonical) return;
    for (auto& d : dirs_) {
      if (d.canonical == *canonical) {
        d.flag = flag;  // "Use the newer information", but keep the first path
        return;
      }
    }
    dirs_.push_back({line, *canonical, flag});
  }

  std::vector<DirEntry>& dirs() { return dirs_; }

 private:
  void parse_line(const std::string& filename, std::string line, int depth) {
    line = line.substr(0, std::min(line.find('\0'), line.find('#')));
    size_t start = 0;
    while (start < line.size() && std::isspace(static_cast<unsigned char>(line[start]))) ++start;
    std::string cp = line.substr(start);
    if (cp.empty()) return;
    auto blank_at = [&cp](size_t i) { return i < cp.size() && (cp[i] == ' ' || cp[i] == '\t'); };
    if (cp.compare(0, 7, "include") == 0 && blank_at(7)) {
      size_t i = 8;
      while (i <= cp.size()) {
        size_t j = cp.find_first_of(" \t", i);
        if (j == std::string::npos) j = cp.size();
        if (j > i) include(filename, cp.substr(i, j - i), depth);
        i = j + 1;
      }
    } else if (strncasecmp(cp.c_str(), "hwcap", 5) == 0 && blank_at(5)) {
      return;  // ignored by ldconfig since glibc 2.33
    } else {
      add_dir(cp);
    }
  }

  void include(const std::string& from, std::string pattern, int depth) {
    if (depth >= kMaxIncludeDepth)
      throw Error(from + ": ld.so.conf includes nest deeper than " +
                  std::to_string(kMaxIncludeDepth) + " levels; remove the include loop");
    // A relative pattern is relative to the including file's directory.
    if (pattern[0] != '/') pattern = dirname_of(from) + "/" + pattern;
    for (const auto& file : glob_tree(root_, pattern)) parse_file(file, depth + 1);
  }

  const RootTree& root_;
  std::vector<DirEntry> dirs_;
  size_t files_ = 0;
};

std::vector<DirEntry> collect_dirs(const RootTree& root, CacheArch arch) {
  ConfigReader reader(root);
  reader.parse_file("/etc/ld.so.conf", 0);
  // Debian's ldconfig always adds its multiarch and plain library
  // directories after the configuration, in this order.
  std::string triplet = info_of(arch).triplet;
  for (const auto& d :
       {"/lib/" + triplet, "/usr/lib/" + triplet, std::string("/lib"), std::string("/usr/lib")})
    reader.add_dir(d);
  return std::move(reader.dirs());
}

bool is_dso_name(const std::string& n) {
  return is_library_name(n);
}

bool is_prelink_temp(const std::string& n) {
  auto ends = [&n](std::string_view s) {
    return n.size() >= s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0;
  };
  return ends(".#prelink#") || (n.size() >= 17 && n.compare(n.size() - 17, 11, ".#prelink#.") == 0);
}

struct Object {
  int32_t flag = 0;
  std::string soname;  // "" when the object has no DT_SONAME
};

uint64_t get_le_be(const std::string& b, size_t off, size_t width, bool big) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) {
    uint64_t byte = static_cast<unsigned char>(b[off + i]);
    v |= byte << (8 * (big ? width - 1 - i : i));
  }
  return v;
}

// The class-independent part of ldconfig's ELF reading: the soname and the
// library type.
std::optional<Object> read_dso(const RootTree::Node& node, const std::string& path,
                               const ArchInfo& arch, int glibc) {
  ElfInfo info;
  try {
    info = parse_elf(node.read, path);
  } catch (const Error&) {
    return std::nullopt;  // ldconfig: "file ... is truncated"
  }
  if (!info.dynamic || !info.needed_complete) return std::nullopt;
  Object o;
  o.soname = info.soname;
  if (glibc >= 237) {
    o.flag = kCacheFlagLibc6;
    return o;
  }
  o.flag = kCacheFlagElf;
  auto& interps = arch.interpreters;
  if (info.has_interp &&
      std::find(interps.begin(), interps.end(), info.interpreter) != interps.end())
    o.flag = kCacheFlagLibc6;
  for (const auto& n : info.needed)
    if (n == "libc.so.6" || n == "libm.so.6") o.flag = kCacheFlagLibc6;
  return o;
}

// ldconfig's process_file plus the architecture's process_elf_file: nullopt
// when the file is not a shared object this ldconfig accepts.
std::optional<Object> process_file(const RootTree& root, const std::string& path,
                                   const ArchInfo& arch, int glibc) {
  const RootTree::Node* node = root.find(path);
  if (!node || node->type != RootTree::Type::kFile || !node->read) return std::nullopt;
  if (node->size < (arch.is64 ? 64u : 52u)) return std::nullopt;
  std::string h = node->read(0, 64);
  if (!has_elf_magic(h) || h.size() < 52) return std::nullopt;
  // ldconfig reads the header in its own byte order: a foreign-endian object
  // never has e_type ET_DYN there.
  if (h[5] != (arch.big_endian ? 2 : 1)) return std::nullopt;
  bool is64 = h[4] == 2;
  uint16_t type = static_cast<uint16_t>(get_le_be(h, 16, 2, arch.big_endian));
  uint16_t machine = static_cast<uint16_t>(get_le_be(h, 18, 2, arch.big_endian));
  if (type != 3 || (is64 && h.size() < 64)) return std::nullopt;
  uint32_t eflags = static_cast<uint32_t>(get_le_be(h, is64 ? 48 : 36, 4, arch.big_endian));
  std::optional<int32_t> fixed;
  switch (arch.arch) {
    case CacheArch::kAmd64:
    case CacheArch::kI386:
      if (machine == kEmX8664)
        fixed = kCacheFlagLibc6 | (is64 ? kCacheFlagX8664 : kCacheFlagX32);
      else if (machine == kEmIa64 && is64 && arch.arch == CacheArch::kI386)
        fixed = kCacheFlagLibc6 | kCacheFlagIa64;
      else if (machine != kEm386 || is64)
        return std::nullopt;
      break;
    case CacheArch::kArm64:
    case CacheArch::kArmhf:
    case CacheArch::kArmel:
      if (is64) fixed = kCacheFlagLibc6 | kCacheFlagAarch64;
      break;
    case CacheArch::kS390x:
      if (!is64) return std::nullopt;
      fixed = kCacheFlagLibc6 | kCacheFlagS390x;
      break;
    case CacheArch::kPpc64el:
      if (is64) fixed = kCacheFlagLibc6 | kCacheFlagPowerpc64;
      break;
    case CacheArch::kRiscv64:
      break;
  }
  auto o = read_dso(*node, path, arch, glibc);
  if (!o) return std::nullopt;
  if (fixed) o->flag = *fixed;
  bool arm32 = (arch.arch == CacheArch::kArm64 || arch.arch == CacheArch::kArmhf ||
                arch.arch == CacheArch::kArmel) &&
               !is64;
  if (arm32 && (eflags & 0xff000000u) == 0x05000000u) {
    // EABI version 5 objects carry their float ABI in e_flags.
    o->flag = kCacheFlagLibc6;
    if (eflags & 0x400)
      o->flag |= kCacheFlagArmHardFloat;
    else if (eflags & 0x200)
      o->flag |= kCacheFlagArmSoftFloat;
  }
  if (arch.arch == CacheArch::kRiscv64) {
    uint32_t abi = eflags & 0x6;
    if (abi != 0 && abi != 0x4) return std::nullopt;  // single/quad float: unsupported
    if (eflags & ~0x7u) return std::nullopt;          // RVE, TSO, ...
    o->flag |= abi == 0x4 ? kCacheFlagRiscvDouble : kCacheFlagRiscvSoft;
  }
  return o;
}

struct Dlib {
  std::string name, soname;
  int32_t flag;
  bool is_link;
};

// ldconfig's choice between two objects with the same soname in one
// directory: a file beats a link, otherwise the higher-versioned name wins.
void add_dlib(std::vector<Dlib>& dlibs, Dlib d, const ArchInfo& arch) {
  for (auto& old : dlibs) {
    if (old.soname != d.soname) continue;
    if ((!d.is_link && old.is_link) ||
        (d.is_link == old.is_link && cache_libcmp(old.name, d.name, arch.signed_char) < 0)) {
      bool elf_to_typed =
          old.flag == kCacheFlagElf && (d.flag == kCacheFlagLibc5 || d.flag == kCacheFlagLibc6);
      bool typed_to_elf =
          (old.flag == kCacheFlagLibc5 || old.flag == kCacheFlagLibc6) && d.flag == kCacheFlagElf;
      if (old.flag != d.flag && (elf_to_typed || typed_to_elf)) old.flag = d.flag;
      old.name = d.name;
      old.is_link = d.is_link;
    }
    return;
  }
  dlibs.push_back(std::move(d));
}

void search_dir(const RootTree& root, const DirEntry& dir, const ArchInfo& arch, int glibc,
                std::vector<CacheEntry>& out) {
  const RootTree::Node* dnode = root.find(dir.canonical);
  if (!dnode || dnode->type != RootTree::Type::kDirectory) return;
  std::vector<Dlib> dlibs;
  for (const auto& name : root.list(dir.canonical)) {
    std::string here = (dir.canonical == "/" ? "" : dir.canonical) + "/" + name;
    const RootTree::Node* node = root.find(here);
    if (!node || node->type == RootTree::Type::kOther) continue;
    if (!is_dso_name(name) || is_prelink_temp(name)) continue;
    bool is_link = node->type == RootTree::Type::kSymlink;
    std::string real = here;
    if (is_link) {
      auto target = root.resolve(dir.path + "/" + name);
      if (!target) continue;  // dangling: ldconfig would remove it
      real = *target;
    }
    if (root.find(real)->type != RootTree::Type::kFile) continue;
    auto obj = process_file(root, real, arch, glibc);
    if (!obj) continue;
    std::string soname = obj->soname.empty() ? name : obj->soname;
    // A link counts as a link only when it is named after the soname or is
    // the linker's "libfoo.so" for it; any other link is treated as a file.
    if (is_link && name != soname) {
      bool dev_link = name.size() >= 3 && name.compare(name.size() - 3, 3, ".so") == 0 &&
                      soname.compare(0, name.size(), name) == 0;
      if (!dev_link) is_link = false;
    }
    if (is_link) soname = name;
    int32_t flag = obj->flag;
    if (flag == kCacheFlagElf && (dir.flag == kCacheFlagLibc5 || dir.flag == kCacheFlagLibc6))
      flag = dir.flag;
    add_dlib(dlibs, {name, soname, flag, is_link}, arch);
  }
  // ldconfig pushes each library at the head of its list.
  for (auto it = dlibs.rbegin(); it != dlibs.rend(); ++it)
    out.push_back({it->soname, dir.path + "/" + it->soname, it->flag, 0});
}

}  // namespace

bool is_library_name(std::string_view n) {
  return ((n.rfind("lib", 0) == 0 || n.rfind("ld-", 0) == 0) &&
          n.find(".so") != std::string_view::npos) ||
         n.rfind("ld.so.", 0) == 0 || n.rfind("ld64.so.", 0) == 0;
}

std::optional<CacheArch> cache_arch_from_debian(std::string_view arch) {
  for (const auto& a : arch_table())
    if (arch == a.debian) return a.arch;
  return std::nullopt;
}

const char* multiarch_triplet(CacheArch arch) {
  return info_of(arch).triplet;
}

std::string debian_ldconfig_generator(std::string_view deb_version) {
  std::string v(deb_version);
  std::string upstream = v.substr(0, v.find('-'));
  if (size_t colon = upstream.find(':'); colon != std::string::npos)
    upstream = upstream.substr(colon + 1);
  return "ldconfig (Debian GLIBC " + v + ") stable release version " + upstream;
}

LdconfigOptions debian_ldconfig_options(std::string_view debian_arch,
                                        std::string_view libc_bin_version) {
  LdconfigOptions o;
  auto arch = cache_arch_from_debian(debian_arch);
  if (!arch) {
    std::string known;
    for (const auto& a : arch_table()) known += std::string(known.empty() ? "" : ", ") + a.debian;
    throw Error("ld.so.cache: architecture '" + std::string(debian_arch) +
                "' is not supported (supported: " + known + ")");
  }
  o.arch = *arch;
  o.generator = debian_ldconfig_generator(libc_bin_version);
  std::string v(libc_bin_version);
  if (size_t colon = v.find(':'); colon != std::string::npos) v = v.substr(colon + 1);
  int major = 0, minor = 0;
  if (std::sscanf(v.c_str(), "%d.%d", &major, &minor) != 2 || major != 2)
    throw Error("ld.so.cache: libc-bin version '" + std::string(libc_bin_version) +
                "' does not start with a glibc version such as 2.41");
  o.glibc_version = major * 100 + minor;
  return o;
}

std::string generate_ld_so_cache(const RootTree& root, const LdconfigOptions& options) {
  return serialize_ld_cache(build_ld_cache(root, options));
}

std::vector<std::string> ldconfig_directories(const RootTree& root, CacheArch arch) {
  std::vector<std::string> out;
  for (const auto& d : collect_dirs(root, arch)) out.push_back(d.path);
  return out;
}

LdCache build_ld_cache(const RootTree& root, const LdconfigOptions& options) {
  const ArchInfo& arch = info_of(options.arch);
  LdCache cache;
  cache.generator = options.generator;
  cache.big_endian = arch.big_endian;
  for (const auto& dir : collect_dirs(root, options.arch))
    search_dir(root, dir, arch, options.glibc_version, cache.entries);
  sort_cache_entries(cache.entries, arch.signed_char);
  return cache;
}

}  // namespace distill::elf
