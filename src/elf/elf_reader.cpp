#include "elf/elf_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <optional>

#include "util/error.h"
#include "util/io.h"
#include "util/read_at.h"

namespace distill::elf {

namespace {

constexpr uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3;
constexpr int64_t kDtNull = 0, kDtNeeded = 1, kDtStrtab = 5, kDtSoname = 14, kDtRpath = 15,
                  kDtRunpath = 29;
constexpr uint32_t kShtDynsym = 11, kShtVerdef = 0x6ffffffd, kShtVerneed = 0x6ffffffe;
constexpr size_t kMaxSection = 64 << 20;
constexpr size_t kMaxShdrs = 1 << 16;
constexpr size_t kMaxVersionEntries = 1 << 16;
// Caps keep a hostile file from making us allocate without bound.
constexpr size_t kMaxPhdrs = 4096;
constexpr size_t kMaxInterp = 4096;
constexpr size_t kMaxDynamic = 1 << 20;
constexpr size_t kMaxName = 4096;

class Decoder {
 public:
  explicit Decoder(bool le) : le_(le) {}
  uint64_t get(const std::string& b, size_t off, size_t width) const {
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) {
      uint64_t byte = static_cast<unsigned char>(b[off + i]);
      v |= le_ ? byte << (8 * i) : byte << (8 * (width - 1 - i));
    }
    return v;
  }

 private:
  bool le_;
};

struct Segment {
  uint32_t type;
  uint64_t offset, vaddr, filesz;
};

// The program headers: type, file offset, address and file size of each.
std::vector<Segment> read_segments(const ReadAt& read, const Decoder& d, bool is64, uint64_t phoff,
                                   size_t phentsize, size_t phnum, const std::string& what) {
  std::string ph = read(phoff, phentsize * phnum);
  if (ph.size() < phentsize * phnum) throw Error(what + ": truncated ELF program headers");
  std::vector<Segment> segs;
  for (size_t i = 0; i < phnum; ++i) {
    size_t o = i * phentsize;
    Segment s;
    s.type = static_cast<uint32_t>(d.get(ph, o, 4));
    if (is64) {
      s.offset = d.get(ph, o + 8, 8);
      s.vaddr = d.get(ph, o + 16, 8);
      s.filesz = d.get(ph, o + 32, 8);
    } else {
      s.offset = d.get(ph, o + 4, 4);
      s.vaddr = d.get(ph, o + 8, 4);
      s.filesz = d.get(ph, o + 16, 4);
    }
    segs.push_back(s);
  }
  return segs;
}

// DT_NEEDED and DT_SONAME of the dynamic segment `dyn`, into `info`.
void read_dynamic(const ReadAt& read, const Decoder& d, bool is64, const std::vector<Segment>& segs,
                  const Segment& dyn, ElfInfo& info, const std::string& what) {
  // DT_NEEDED values are offsets into the string table named by DT_STRTAB,
  // a virtual address that a PT_LOAD segment maps back to a file offset.
  size_t entsize = is64 ? 16 : 8;
  std::string table = read(dyn.offset, std::min<uint64_t>(dyn.filesz, kMaxDynamic));
  if (table.size() < std::min<uint64_t>(dyn.filesz, kMaxDynamic)) {
    info.needed_complete = false;
    return;
  }
  uint64_t strtab = 0;
  bool have_strtab = false;
  std::vector<uint64_t> needed_off;
  int64_t soname_off = -1, runpath_off = -1, rpath_off = -1;
  for (size_t o = 0; o + entsize <= table.size(); o += entsize) {
    int64_t tag = static_cast<int64_t>(d.get(table, o, entsize / 2));
    uint64_t val = d.get(table, o + entsize / 2, entsize / 2);
    if (tag == kDtNull) break;
    if (tag == kDtNeeded) needed_off.push_back(val);
    if (tag == kDtSoname) soname_off = static_cast<int64_t>(val);
    if (tag == kDtRunpath) runpath_off = static_cast<int64_t>(val);
    if (tag == kDtRpath) rpath_off = static_cast<int64_t>(val);
    if (tag == kDtStrtab) {
      strtab = val;
      have_strtab = true;
    }
  }
  if (needed_off.empty() && soname_off < 0 && runpath_off < 0 && rpath_off < 0) return;
  if (!have_strtab) throw Error(what + ": dynamic section has no DT_STRTAB");
  bool mapped = false;
  uint64_t str_file = 0;
  for (const auto& s : segs) {
    if (s.type == kPtLoad && strtab >= s.vaddr && strtab < s.vaddr + s.filesz) {
      str_file = strtab - s.vaddr + s.offset;
      mapped = true;
      break;
    }
  }
  if (!mapped) throw Error(what + ": DT_STRTAB is not inside a loaded segment");
  auto name_at = [&](uint64_t off, std::string& out) {
    std::string raw = read(str_file + off, kMaxName);
    size_t nul = raw.find('\0');
    if (nul == std::string::npos) return false;
    out = raw.substr(0, nul);
    return true;
  };
  for (uint64_t off : needed_off) {
    std::string name;
    if (!name_at(off, name)) {
      info.needed_complete = false;
      info.needed.clear();
      return;
    }
    info.needed.push_back(name);
  }
  if (soname_off >= 0 && !name_at(static_cast<uint64_t>(soname_off), info.soname))
    info.needed_complete = false;
  info.has_runpath = runpath_off >= 0;
  info.has_rpath = rpath_off >= 0;
  if (info.has_runpath && !name_at(static_cast<uint64_t>(runpath_off), info.runpath))
    info.needed_complete = false;
  if (info.has_rpath && !name_at(static_cast<uint64_t>(rpath_off), info.rpath))
    info.needed_complete = false;
}

struct Section {
  uint32_t type = 0, link = 0, info = 0;
  uint64_t offset = 0, size = 0;
};

// Reads the section table; returns false when it is not readable (a prefix).
bool read_sections(const ReadAt& read, const Decoder& d, bool is64, const std::string& h,
                   std::vector<Section>& out) {
  uint64_t shoff = is64 ? d.get(h, 40, 8) : d.get(h, 32, 4);
  size_t shentsize = d.get(h, is64 ? 58 : 46, 2);
  size_t shnum = d.get(h, is64 ? 60 : 48, 2);
  if (shoff == 0 || shnum == 0) return true;
  if (shentsize < (is64 ? 64u : 40u) || shnum > kMaxShdrs) return true;
  std::string sh = read(shoff, shentsize * shnum);
  if (sh.size() < shentsize * shnum) return false;
  for (size_t i = 0; i < shnum; ++i) {
    size_t o = i * shentsize;
    Section s;
    s.type = static_cast<uint32_t>(d.get(sh, o + 4, 4));
    s.offset = is64 ? d.get(sh, o + 24, 8) : d.get(sh, o + 16, 4);
    s.size = is64 ? d.get(sh, o + 32, 8) : d.get(sh, o + 20, 4);
    s.link = static_cast<uint32_t>(d.get(sh, o + (is64 ? 40 : 24), 4));
    s.info = static_cast<uint32_t>(d.get(sh, o + (is64 ? 44 : 28), 4));
    out.push_back(s);
  }
  return true;
}

// A section's bytes, or nullopt when they are not all readable.
std::optional<std::string> section_bytes(const ReadAt& read, const Section& s) {
  if (s.size > kMaxSection) return std::nullopt;
  std::string b = read(s.offset, s.size);
  if (b.size() < s.size) return std::nullopt;
  return b;
}

std::string string_at(const std::string& strtab, uint64_t off) {
  if (off >= strtab.size()) return {};
  size_t nul = strtab.find('\0', off);
  return strtab.substr(off, (nul == std::string::npos ? strtab.size() : nul) - off);
}

// .gnu.version_r: per needed file, the versions it must define.
void read_verneed(const Decoder& d, const std::string& b, const std::string& strtab, uint32_t count,
                  ElfInfo& info) {
  uint64_t off = 0;
  for (uint32_t n = 0; n < count && n < kMaxVersionEntries && off + 16 <= b.size(); ++n) {
    uint64_t cnt = d.get(b, off + 2, 2), file = d.get(b, off + 4, 4), aux = d.get(b, off + 8, 4),
             next = d.get(b, off + 12, 4);
    std::vector<std::string> versions;
    uint64_t a = off + aux;
    for (uint64_t k = 0; k < cnt && a + 16 <= b.size(); ++k) {
      versions.push_back(string_at(strtab, d.get(b, a + 8, 4)));
      uint64_t anext = d.get(b, a + 12, 4);
      if (anext == 0) break;
      a += anext;
    }
    info.version_needs.emplace_back(string_at(strtab, file), std::move(versions));
    if (next == 0) break;
    off += next;
  }
}

// .gnu.version_d: the versions this object defines (the base entry, its own
// name, is left out).
void read_verdef(const Decoder& d, const std::string& b, const std::string& strtab, uint32_t count,
                 ElfInfo& info) {
  uint64_t off = 0;
  for (uint32_t n = 0; n < count && n < kMaxVersionEntries && off + 20 <= b.size(); ++n) {
    uint64_t flags = d.get(b, off + 2, 2), aux = d.get(b, off + 12, 4),
             next = d.get(b, off + 16, 4);
    if (!(flags & 1) && off + aux + 8 <= b.size())
      info.version_defs.push_back(string_at(strtab, d.get(b, off + aux, 4)));
    if (next == 0) break;
    off += next;
  }
}

// .dynsym: the names of undefined (imported) symbols.
void read_imports(const Decoder& d, bool is64, const std::string& b, const std::string& strtab,
                  ElfInfo& info) {
  size_t ent = is64 ? 24 : 16;
  for (size_t o = ent; o + ent <= b.size(); o += ent) {
    uint64_t name = d.get(b, o, 4);
    uint64_t shndx = d.get(b, o + (is64 ? 6 : 14), 2);
    if (shndx == 0 && name != 0) info.imports.push_back(string_at(strtab, name));
  }
}

void read_symbol_sections(const ReadAt& read, const Decoder& d, bool is64, const std::string& h,
                          ElfInfo& info) {
  std::vector<Section> secs;
  if (!read_sections(read, d, is64, h, secs)) {
    info.symbols_complete = false;
    return;
  }
  for (const auto& s : secs) {
    if (s.type != kShtDynsym && s.type != kShtVerdef && s.type != kShtVerneed) continue;
    if (s.link >= secs.size()) continue;
    auto body = section_bytes(read, s);
    auto strtab = section_bytes(read, secs[s.link]);
    if (!body || !strtab) {
      info.symbols_complete = false;
      continue;
    }
    if (s.type == kShtVerneed) read_verneed(d, *body, *strtab, s.info, info);
    if (s.type == kShtVerdef) read_verdef(d, *body, *strtab, s.info, info);
    if (s.type == kShtDynsym) read_imports(d, is64, *body, *strtab, info);
  }
}

}  // namespace

bool has_elf_magic(std::string_view head) {
  return head.size() >= 4 && head.substr(0, 4) == std::string_view(
                                                      "\x7f"
                                                      "ELF",
                                                      4);
}

ElfInfo parse_elf(const ReadAt& read, const std::string& what, bool symbols) {
  std::string h = read(0, 64);
  if (!has_elf_magic(h)) throw Error(what + ": not an ELF file");
  if (h.size() < 52) throw Error(what + ": truncated ELF header");
  ElfInfo info;
  if (h[4] != 1 && h[4] != 2) throw Error(what + ": bad ELF class " + std::to_string(h[4]));
  info.elf_class = h[4] == 2 ? 64 : 32;
  if (h[5] != 1 && h[5] != 2) throw Error(what + ": bad ELF data encoding");
  info.little_endian = h[5] == 1;
  bool is64 = info.elf_class == 64;
  if (is64 && h.size() < 64) throw Error(what + ": truncated ELF header");
  Decoder d(info.little_endian);
  info.type = static_cast<uint16_t>(d.get(h, 16, 2));
  info.machine = static_cast<uint16_t>(d.get(h, 18, 2));
  uint64_t phoff = is64 ? d.get(h, 32, 8) : d.get(h, 28, 4);
  size_t phentsize = d.get(h, is64 ? 54 : 42, 2);
  size_t phnum = d.get(h, is64 ? 56 : 44, 2);
  size_t min_ent = is64 ? 56 : 32;
  if (symbols) read_symbol_sections(read, d, is64, h, info);
  if (phnum == 0) return info;
  if (phentsize < min_ent || phnum > kMaxPhdrs) throw Error(what + ": bad ELF program headers");
  std::vector<Segment> segs = read_segments(read, d, is64, phoff, phentsize, phnum, what);

  const Segment* dyn = nullptr;
  for (const auto& s : segs) {
    if (s.type == kPtInterp) {
      info.has_interp = true;
      std::string raw = read(s.offset, std::min<uint64_t>(s.filesz, kMaxInterp));
      if (raw.size() < std::min<uint64_t>(s.filesz, kMaxInterp)) {
        info.interp_complete = false;
        continue;
      }
      info.interpreter = raw.substr(0, std::min(raw.find('\0'), raw.size()));
    } else if (s.type == kPtDynamic) {
      info.dynamic = true;
      dyn = &s;
    }
  }
  if (!dyn) return info;

  read_dynamic(read, d, is64, segs, *dyn, info, what);
  return info;
}

ElfInfo parse_elf_prefix(std::string_view prefix, const std::string& what) {
  return parse_elf(
      [prefix](uint64_t off, size_t len) -> std::string {
        if (off >= prefix.size()) return {};
        return std::string(prefix.substr(off, len));
      },
      what);
}

ElfInfo parse_elf_file(const std::string& path, bool symbols) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("cannot open", path);
  return parse_elf([&](uint64_t off, size_t len) { return read_at(fd.get(), off, len, path); },
                   path, symbols);
}

const char* type_name(uint16_t type) {
  switch (type) {
    case 1:
      return "relocatable";
    case 2:
      return "executable";
    case 3:
      return "shared object";
    case 4:
      return "core";
  }
  return "unknown";
}

const char* machine_name(uint16_t machine) {
  switch (machine) {
    case 3:
      return "i386";
    case 8:
      return "mips";
    case 20:
      return "powerpc";
    case 21:
      return "ppc64";
    case 22:
      return "s390";
    case 40:
      return "arm";
    case 62:
      return "x86-64";
    case 183:
      return "aarch64";
    case 243:
      return "riscv";
  }
  return "unknown";
}

}  // namespace distill::elf
