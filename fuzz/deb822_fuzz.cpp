// deb822 paragraphs (control files, *.sources: comments allowed; Packages
// and Release: not), the value helpers, and the clearsigned-body extractor.
#include "debian/deb822.h"
#include "fuzz_util.h"
#include "util/error.h"

namespace {

void parse(std::string_view text, bool comments) {
  try {
    distill::debian::Deb822Parser parser(text, "input", {.allow_comments = comments});
    distill::debian::Deb822Paragraph p;
    while (parser.next(p)) {
      for (const auto& f : p.fields()) {
        distill::debian::deb822_multiline(f.value);
        distill::debian::deb822_folded(f.value);
        if (p.find(f.name) == nullptr) std::abort();  // a field must find itself
      }
      p.get("Package");
    }
  } catch (const distill::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = distill::fuzz::as_text(data, size);
  parse(text, false);
  parse(text, true);
  try {
    std::string body = distill::debian::clearsigned_body(text, "InRelease");
    parse(body, false);
  } catch (const distill::Error&) {
  }
  return 0;
}
