// Release / InRelease: the clearsigned body, the SHA-256 list, dates and
// the Packages lookup the archive client does after gpgv has accepted it.
#include "debian/release.h"

#include "debian/deb822.h"
#include "fuzz_util.h"
#include "util/error.h"

namespace {

void check(std::string_view text) {
  try {
    distill::debian::Release r = distill::debian::parse_release(text, "Release");
    distill::debian::find_packages(r, "main", "amd64");
    for (const auto& c : r.components) {
      for (const auto& a : r.architectures) distill::debian::find_packages(r, c, a);
    }
    distill::debian::check_valid_until(r, r.date_epoch, "Release");
  } catch (const distill::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = distill::fuzz::as_text(data, size);
  check(text);
  try {
    check(distill::debian::clearsigned_body(text, "InRelease"));
  } catch (const distill::Error&) {
  }
  try {
    distill::debian::parse_release_date(text, "Date");
  } catch (const distill::Error&) {
  }
  return 0;
}
