#include "debian/deb822.h"

#include "util/error.h"
#include "util/strings.h"

namespace distill::debian {
namespace {

bool is_field_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

bool is_blank(std::string_view line) {
  for (char c : line)
    if (!is_field_space(c)) return false;
  return true;
}

std::string_view trim_field(std::string_view s) {
  while (!s.empty() && (is_field_space(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_field_space(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// Keeps error messages one line and short.
std::string excerpt(std::string_view line) {
  std::string s(line.substr(0, 60));
  if (line.size() > 60) s += "...";
  return s;
}

}  // namespace

const Deb822Field* Deb822Paragraph::find(std::string_view name) const {
  for (const auto& f : fields_)
    if (iequals(f.name, name)) return &f;
  return nullptr;
}

std::string_view Deb822Paragraph::get(std::string_view name) const {
  const Deb822Field* f = find(name);
  return f ? f->value : std::string_view();
}

Deb822Parser::Deb822Parser(std::string_view text, std::string where, Deb822Options options)
    : text_(text), where_(std::move(where)), options_(options) {}

void Deb822Parser::fail(size_t line, const std::string& message) const {
  throw Error(where_ + ":" + std::to_string(line) + ": " + message);
}

bool Deb822Parser::next(Deb822Paragraph& out) {
  out.fields_.clear();
  out.owned_.clear();
  out.line_ = 0;
  out.text_ = {};
  bool started = false;
  size_t para_begin = 0, para_end = 0;
  // The field being read: its value spans [val_begin, val_end) of text_
  // unless a comment interrupted it, in which case it lives in `owned`.
  size_t val_begin = 0, val_end = 0;
  std::string* owned = nullptr;
  bool comment_in_field = false;

  auto finish_field = [&] {
    if (out.fields_.empty()) return;
    std::string_view v =
        owned ? std::string_view(*owned) : text_.substr(val_begin, val_end - val_begin);
    out.fields_.back().value = trim_field(v);
    owned = nullptr;
    comment_in_field = false;
  };

  while (pos_ < text_.size()) {
    size_t line_begin = pos_;
    size_t nl = text_.find('\n', pos_);
    size_t line_end = nl == std::string_view::npos ? text_.size() : nl;
    pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
    ++line_;
    std::string_view line = text_.substr(line_begin, line_end - line_begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (line.empty() || is_blank(line)) {
      if (started) break;
      continue;
    }
    if (line[0] == '#') {
      if (!options_.allow_comments)
        fail(line_, "unexpected '#' line (comments are not allowed here)");
      if (started) comment_in_field = true;
      continue;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      if (!started) fail(line_, "continuation line outside a field: '" + excerpt(line) + "'");
      if (comment_in_field && !owned) {
        owned = &out.owned_.emplace_back(text_.substr(val_begin, val_end - val_begin));
      }
      if (owned) {
        owned->append("\n").append(line);
      } else {
        val_end = line_begin + line.size();
      }
      para_end = line_begin + line.size();
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      fail(line_, "expected 'Field: value', got '" + excerpt(line) + "'");
    std::string_view name = line.substr(0, colon);
    if (name.empty()) fail(line_, "empty field name");
    for (char c : name)
      if (is_field_space(c)) fail(line_, "field name '" + excerpt(name) + "' contains whitespace");
    finish_field();
    for (const auto& f : out.fields_)
      if (iequals(f.name, name)) fail(line_, "duplicate field '" + std::string(name) + "'");
    if (!started) {
      started = true;
      para_begin = line_begin;
      out.line_ = line_;
    }
    out.fields_.push_back({name, {}, line_});
    val_begin = line_begin + colon + 1;
    val_end = line_begin + line.size();
    para_end = val_end;
  }
  if (!started) return false;
  finish_field();
  out.text_ = text_.substr(para_begin, para_end - para_begin);
  return true;
}

std::vector<Deb822Paragraph> parse_deb822(std::string_view text, const std::string& where,
                                          Deb822Options options) {
  std::vector<Deb822Paragraph> out;
  Deb822Parser parser(text, where, options);
  Deb822Paragraph p;
  while (parser.next(p)) out.push_back(std::move(p));
  return out;
}

std::string deb822_multiline(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  size_t pos = 0;
  bool first = true;
  while (pos <= value.size()) {
    size_t nl = value.find('\n', pos);
    std::string_view line =
        value.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!first) {
      out += '\n';
      if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) line.remove_prefix(1);
      if (line == ".") line = {};
    }
    out.append(line);
    first = false;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}

std::string deb822_folded(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool space = false;
  for (char c : value) {
    if (is_field_space(c) || c == '\n') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string clearsigned_body(std::string_view text, const std::string& where) {
  static constexpr std::string_view kBegin = "-----BEGIN PGP SIGNED MESSAGE-----";
  static constexpr std::string_view kSig = "-----BEGIN PGP SIGNATURE-----";
  static constexpr std::string_view kEnd = "-----END PGP SIGNATURE-----";
  enum { kBefore, kHeaders, kBody, kSignature, kAfter } state = kBefore;
  std::string body;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    switch (state) {
      case kBefore:
        if (line == kBegin) {
          state = kHeaders;
        } else if (!is_blank(line)) {
          throw Error(where + ": text before the signed message (not a clearsigned file)");
        }
        break;
      case kHeaders:
        if (line.empty())
          state = kBody;
        else if (line.substr(0, 6) != "Hash: ")
          throw Error(where + ": unexpected armour header '" + excerpt(line) + "'");
        break;
      case kBody:
        if (line == kSig) {
          state = kSignature;
        } else if (line.substr(0, 2) == "- ") {
          body.append(line.substr(2)).append("\n");
        } else if (!line.empty() && line[0] == '-') {
          throw Error(where + ": badly dash-escaped line in the signed message");
        } else {
          body.append(line).append("\n");
        }
        break;
      case kSignature:
        if (line == kEnd) state = kAfter;
        break;
      case kAfter:
        // apt rejects data outside the signed part; so do we.
        if (!is_blank(line)) throw Error(where + ": text after the signature");
        break;
    }
  }
  if (state != kAfter) throw Error(where + ": not a complete clearsigned OpenPGP message");
  return body;
}

}  // namespace distill::debian
