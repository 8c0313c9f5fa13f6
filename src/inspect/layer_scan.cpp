#include "inspect/layer_scan.h"

#include <unordered_map>

#include "archive/compress.h"
#include "archive/tar_reader.h"
#include "elf/elf_reader.h"
#include "inspect/capture.h"
#include "inspect/license.h"
#include "util/error.h"
#include "util/sha256.h"

namespace distill::inspect {

namespace {

// Counts the bytes that pass through (the uncompressed tar size).
class CountingSource : public ByteSource {
 public:
  explicit CountingSource(std::unique_ptr<ByteSource> in) : in_(std::move(in)) {}
  size_t read(void* buf, size_t n) override {
    size_t got = in_->read(buf, n);
    count_ += got;
    return got;
  }
  uint64_t count() const { return count_; }

 private:
  std::unique_ptr<ByteSource> in_;
  uint64_t count_ = 0;
};

// The interpreter a "#!" line names ("" when `prefix` is no script).
std::string shebang_interpreter(const std::string& prefix) {
  if (prefix.size() < 2 || prefix[0] != '#' || prefix[1] != '!') return "";
  size_t start = prefix.find_first_not_of(" \t", 2);
  if (start == std::string::npos) return "";
  size_t end = prefix.find_first_of(" \t\r\n", start);
  return prefix.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

namespace {

void scan_into(LayerScan& scan, const oci::Layer& layer, int index, const ScanOptions& options) {
  scan.index = index;
  scan.descriptor = layer.descriptor();
  scan.diff_id = layer.diff_id();
  std::string name = "layer " + scan.descriptor.digest;
  auto counter_owned = std::make_unique<CountingSource>(layer.open_tar());
  CountingSource* counter = counter_owned.get();
  TarReader tar(std::move(counter_owned), name);
  tar.set_limits(options.limits.file, options.limits.layer);
  std::unordered_map<std::string, std::string> digest_of;  // for hardlinks
  // One path with two types in one layer (a file, then a directory) has no
  // single meaning; extractors disagree on which wins.
  std::unordered_map<std::string, TarEntry::Type> type_of;
  std::vector<char> buf(1 << 16);
  TarEntry e;
  while (true) {
    if (!tar.next(e)) break;
    ++scan.entries;
    if (e.path.empty()) continue;  // the "./" root entry
    TarEntry::Type kind = e.type == TarEntry::Type::kHardlink ? TarEntry::Type::kFile : e.type;
    auto [known, fresh] = type_of.emplace(e.path, kind);
    if (!fresh && known->second != kind) {
      throw Error(name + ": member " + escape_name(tar.raw_path()) + " is a " + type_name(kind) +
                  " but an earlier member with the same path is a " + type_name(known->second));
    }
    FileInfo f = file_info_of(e, index);
    if (f.whiteout != FileInfo::Whiteout::kNone) {
      ++scan.whiteouts;
      scan.files.push_back(std::move(f));
      continue;
    }
    if (e.type == TarEntry::Type::kHardlink) {
      auto it = digest_of.find(e.link);
      if (it != digest_of.end()) f.digest = it->second;
    }
    if (e.type == TarEntry::Type::kFile) {
      f.size = e.size;
      scan.file_bytes += e.size;
      CaptureRule rule = options.captures ? capture_rule(f.path) : CaptureRule{};
      // Executables are read for an ELF header or a #! line (a script may be tiny).
      bool want_elf = options.captures && e.size >= 2 && elf_candidate(f.path, f.mode);
      bool keep_raw = rule.kind != CaptureKind::kNone && rule.kind != CaptureKind::kGlibcVersion &&
                      e.size <= rule.max_bytes;
      bool glibc = rule.kind == CaptureKind::kGlibcVersion;
      if (options.digests || want_elf || keep_raw || glibc) {
        Sha256 hash;
        std::string prefix, raw;
        GlibcVersionFinder finder;
        for (size_t n; (n = tar.read(buf.data(), buf.size())) > 0;) {
          if (options.digests) hash.update(buf.data(), n);
          if (want_elf && prefix.size() < kElfPrefixBytes)
            prefix.append(buf.data(), std::min(n, kElfPrefixBytes - prefix.size()));
          if (keep_raw) raw.append(buf.data(), n);
          if (glibc) finder.feed(buf.data(), n);
          // Nothing else needs the rest of this file: let libarchive skip it.
          if (!options.digests && !keep_raw && !glibc && prefix.size() >= kElfPrefixBytes) break;
        }
        if (options.digests) {
          f.digest = hash.digest();
          digest_of[f.path] = f.digest;
        }
        if (want_elf && elf::has_elf_magic(prefix)) {
          try {
            elf::ElfInfo info = elf::parse_elf_prefix(prefix, f.path);
            f.elf = true;
            // libc.so.6 has a PT_INTERP far into the file: unknown, not missing.
            f.elf_interp = info.has_interp && info.interp_complete;
            f.interpreter = info.interpreter;
          } catch (const Error&) {
            // A malformed ELF is not the image's fault to report here.
          }
        }
        if (want_elf) f.shebang = shebang_interpreter(prefix);
        if (keep_raw) {
          if (rule.kind == CaptureKind::kLicense) {
            scan.captures[f.path] = join_licenses(copyright_licenses(raw));
          } else {
            scan.captures[f.path] = std::move(raw);
          }
        }
        if (glibc) scan.captures[f.path] = finder.version();
      }
    }
    scan.files.push_back(std::move(f));
  }
  // Drain what libarchive left unread (end-of-archive padding) so that the
  // verifying source reaches EOF and checks the blob digest.
  for (size_t n; (n = counter->read(buf.data(), buf.size())) > 0;) {
  }
  scan.uncompressed_size = counter->count();
  scan.declared_size = tar.declared_total();
}

}  // namespace

LayerScan scan_layer(const oci::Layer& layer, int index, const ScanOptions& options) {
  LayerScan scan;
  try {
    scan_into(scan, layer, index, options);
  } catch (const Error& err) {
    // Every failure names the blob, whichever stage (file, gzip, tar) found it.
    std::string msg = err.what();
    if (msg.find(scan.descriptor.digest) == std::string::npos)
      throw Error("layer " + std::to_string(index) + " (" + scan.descriptor.digest + "): " + msg);
    throw;
  }
  return scan;
}

}  // namespace distill::inspect
