// deb822 paragraphs (RFC822-like "Field: value" blocks separated by blank
// lines): Packages, Release/InRelease bodies, control files, *.sources.
// The parser returns views into the caller's text, so the text must outlive
// the paragraphs; it makes no per-field copies.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace distill::debian {

struct Deb822Field {
  std::string_view name;   // as written
  std::string_view value;  // trimmed; continuation lines kept raw ("\n .\n more")
  size_t line = 0;         // 1-based line of the field name
};

class Deb822Paragraph {
 public:
  // First field named `name` (ASCII case-insensitive), or nullptr.
  const Deb822Field* find(std::string_view name) const;
  // Its value, or "" when absent.
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  const std::vector<Deb822Field>& fields() const { return fields_; }
  size_t line() const { return line_; }  // line of the first field
  // The paragraph's text as it appears in the input (no trailing blank line).
  std::string_view text() const { return text_; }

 private:
  friend class Deb822Parser;
  std::vector<Deb822Field> fields_;
  std::deque<std::string> owned_;  // values rebuilt around interleaved comments
  size_t line_ = 0;
  std::string_view text_;
};

struct Deb822Options {
  // '#' lines are comments in control files and *.sources, not in Packages
  // or Release files (where a '#' line is an error).
  bool allow_comments = false;
};

// Streaming parser: next() fills `out` with the following paragraph.
// Errors throw distill::Error("<where>:<line>: ...").
class Deb822Parser {
 public:
  Deb822Parser(std::string_view text, std::string where, Deb822Options options = {});
  // False at the end of input; `out` is reused to avoid reallocations.
  bool next(Deb822Paragraph& out);

 private:
  [[noreturn]] void fail(size_t line, const std::string& message) const;
  std::string_view text_;
  std::string where_;
  Deb822Options options_;
  size_t pos_ = 0;
  size_t line_ = 0;  // lines consumed so far
};

// Convenience: every paragraph at once (views into `text`).
std::vector<Deb822Paragraph> parse_deb822(std::string_view text, const std::string& where,
                                          Deb822Options options = {});

// A multi-line value with the continuation's leading space removed and " ."
// lines turned into empty lines (Description-style).
std::string deb822_multiline(std::string_view value);
// A folded value (Depends, Uploaders...): whitespace runs become one space.
std::string deb822_folded(std::string_view value);

// The signed text of a clearsigned OpenPGP message (InRelease), with the
// armour headers removed and dash-escaping undone. It does NOT verify the
// signature; only call it on data gpgv has already accepted. Throws Error
// naming `where` if the text is not a clearsigned message.
std::string clearsigned_body(std::string_view text, const std::string& where);

}  // namespace distill::debian
