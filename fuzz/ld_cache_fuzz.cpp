// ld.so.cache parser, and the ldconfig scan over a tree whose ld.so.conf and
// one library come from the input ("<ld.so.conf>\n--\n<library bytes>"), with
// a symlinked /lib and a symlink loop in the way. A generated cache must parse
// back to the same entries.
#include <cstdlib>

#include "elf/ld_cache.h"
#include "elf/ldconfig.h"
#include "fuzz_util.h"
#include "util/error.h"

namespace {

void add_bytes(distill::elf::RootTree& t, const std::string& path, std::string data) {
  auto shared = std::make_shared<std::string>(std::move(data));
  t.add_file(path, shared->size(), [shared](uint64_t off, size_t len) -> std::string {
    if (off >= shared->size()) return {};
    return shared->substr(off, len);
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes = distill::fuzz::as_text(data, size);
  try {
    distill::elf::parse_ld_cache(bytes, "input");
  } catch (const distill::Error&) {
  }
  size_t sep = bytes.find("\n--\n");
  std::string conf(bytes.substr(0, sep));
  std::string lib(sep == std::string_view::npos ? bytes : bytes.substr(sep + 4));
  distill::elf::RootTree t;
  t.add_directory("/usr/lib/x86_64-linux-gnu");
  t.add_symlink("/lib", "usr/lib");
  t.add_symlink("/usr/lib/x86_64-linux-gnu/loop", "/");
  t.add_symlink("/usr/lib/x86_64-linux-gnu/libx.so", "libx.so.1");
  add_bytes(t, "/etc/ld.so.conf", conf);
  add_bytes(t, "/usr/lib/x86_64-linux-gnu/libx.so.1", lib);
  for (auto arch : {distill::elf::CacheArch::kAmd64, distill::elf::CacheArch::kS390x}) {
    try {
      auto cache = distill::elf::build_ld_cache(t, {arch, 241, "fuzz"});
      auto back = distill::elf::parse_ld_cache(distill::elf::serialize_ld_cache(cache), "out");
      if (back.entries != cache.entries || back.generator != cache.generator) std::abort();
    } catch (const distill::Error&) {
    }
  }
  return 0;
}
