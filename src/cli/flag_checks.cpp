#include "cli/flag_checks.h"

#include <cerrno>
#include <cstdlib>

#include "archive/size_limits.h"
#include "debian/archive.h"
#include "oci/names.h"
#include "util/error.h"

namespace distill::cli {

namespace {

// The value of `text` as a whole decimal number, or false.
bool parse_int(const std::string& text, int64_t& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (*end || errno == ERANGE) return false;
  out = v;
  return true;
}

std::string range_message(const std::string& flag, int64_t lo, int64_t hi, const std::string& text,
                          const std::string& what = "") {
  return flag + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + what +
         " (got " + text + ")";
}

}  // namespace

CLI::Validator int_range(const std::string& flag, int64_t lo, int64_t hi) {
  return CLI::Validator(
      [flag, lo, hi](std::string& text) -> std::string {
        int64_t v = 0;
        if (!parse_int(text, v) || v < lo || v > hi) return range_message(flag, lo, hi, text);
        return "";
      },
      // Shown in --help after the type, as CLI::Range does.
      "INT in [" + std::to_string(lo) + " - " + std::to_string(hi) + "]");
}

CLI::Validator byte_count(const std::string& flag) {
  return CLI::Validator(
      [flag](std::string& text) -> std::string {
        int64_t v = 0;
        if (!parse_int(text, v) || v < 0)
          return flag + " must be a whole number of bytes, 0 or more (got " + text + ")";
        return "";
      },
      "");
}

CLI::Validator tag_name(const std::string& flag) {
  return CLI::Validator(
      [flag](std::string& text) -> std::string { return oci::tag_flag_problem(text, flag); }, "");
}

CLI::Validator compression_level(const std::string& flag, const std::string* compression) {
  return CLI::Validator(
      [flag, compression](std::string& text) -> std::string {
        const std::string& c = *compression;
        if (c == "none") return flag + " does not apply to --compression none (got " + text + ")";
        int64_t hi = c == "zstd" ? 19 : 9;
        int64_t v = 0;
        if (!parse_int(text, v) || v < 1 || v > hi)
          return range_message(flag, 1, hi, text, " for " + c);
        return "";
      },
      "");
}

CLI::Validator positive_size(const std::string& flag) {
  return CLI::Validator(
      [flag](std::string& text) -> std::string {
        try {
          parse_size(text, flag);
        } catch (const Error& e) {
          return e.what();
        }
        return "";
      },
      "");
}

CLI::Validator snapshot_timestamp(const std::string& flag) {
  return CLI::Validator(
      [flag](std::string& text) -> std::string {
        try {
          debian::parse_snapshot_timestamp(text, flag);
        } catch (const Error&) {
          return flag + " must be a timestamp YYYYMMDDTHHMMSSZ, e.g. 20260818T205150Z (got " +
                 text + ")";
        }
        return "";
      },
      "TIMESTAMP");
}

}  // namespace distill::cli
