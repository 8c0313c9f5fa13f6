// .deb reader: the ar container, control.tar.* and the streamed data.tar.*.
#include <memory>

#include "archive/tar_reader.h"
#include "debian/deb822.h"
#include "debian/deb_file.h"
#include "fuzz_util.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static distill::fuzz::ScratchDir dir;
  // DebFile only opens paths: the input goes through a scratch file.
  const std::string path = dir.path() + "/input.deb";
  distill::fuzz::write_file(path, distill::fuzz::as_text(data, size));
  try {
    distill::debian::DebFile deb(path);
    distill::debian::parse_deb822(deb.control(), "control", {.allow_comments = true});
    distill::TarReader tar(deb.open_data(), "data");
    distill::TarEntry entry;
    char buf[1 << 14];
    // A small input can decompress to gigabytes; 64 MiB covers every path.
    uint64_t total = 0;
    while (tar.next(entry) && total < (64u << 20)) {
      for (size_t n; (n = tar.read(buf, sizeof buf)) > 0 && total < (64u << 20);) total += n;
    }
  } catch (const distill::Error&) {
    // Rejecting a bad package with a message is the expected outcome.
  }
  return 0;
}
