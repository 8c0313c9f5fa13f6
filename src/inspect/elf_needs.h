// "Will it run": every ELF file of an image whose needs the image does not
// meet (a DT_NEEDED library ld.so would not find, a symbol version the
// library it loads does not define, a PT_INTERP that is not there), by the
// loader-order analysis of elf/elf_closure.h. `distill deps REF` prints it;
// `inspect` reports each line as a warning.
#pragma once

#include <string>
#include <vector>

#include "elf/ldconfig.h"
#include "inspect/merged_fs.h"
#include "oci/image.h"

namespace distill::inspect {

struct UnmetNeed {
  // "missing-library", "missing-symbol-version" or "missing-interpreter".
  std::string code;
  std::string file;     // the image path of the ELF file that needs it
  std::string missing;  // the soname, symbol version or interpreter path
  std::string library;  // missing-symbol-version: the library that lacks it
  // "/app/sq: needs libz.so.1, which the image does not have"
  std::string message;
};

struct UnmetNeeds {
  std::vector<UnmetNeed> needs;  // missing libraries, then versions, then interpreters
  size_t objects = 0;            // ELF objects analysed
};

// Extracts the image into a temporary directory and runs elf::unmet_needs
// over it for `arch`: the whole root, or, given the image's scan with
// captures (`scanned`), only what the analysis reads: its ELF files,
// symlinks and the loader's configuration (/etc/ld.so.conf*,
// /etc/ld.so.cache). Files for another class or machine are skipped, as
// ld.so skips them. Throws distill::Error on read errors.
UnmetNeeds image_unmet_needs(const oci::Image& image, elf::CacheArch arch,
                             const MergedFs* scanned = nullptr);

}  // namespace distill::inspect
