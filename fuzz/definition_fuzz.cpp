// Image definition YAML: the strict loader with its file:line errors.
// Only load_definition_file: a `from:` chain would read host files.
#include "fuzz_util.h"
#include "image/definition.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static distill::fuzz::ScratchDir dir;
  const std::string path = dir.path() + "/image.yaml";
  distill::fuzz::write_file(path, distill::fuzz::as_text(data, size));
  try {
    distill::load_definition_file(path);
  } catch (const distill::Error&) {
  }
  try {
    distill::parse_mode(std::string(distill::fuzz::as_text(data, size)), "mode");
  } catch (const distill::Error&) {
  }
  return 0;
}
