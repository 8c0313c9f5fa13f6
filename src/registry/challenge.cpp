#include "registry/challenge.h"
#include "util/strings.h"

#include <cctype>

namespace distill::registry {

namespace {

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~/").find(c) != std::string_view::npos;
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  void skip_space() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  void skip_separators() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == ',')) ++i_;
  }
  std::string token() {
    size_t b = i_;
    while (!done() && is_token_char(s_[i_])) ++i_;
    return std::string(s_.substr(b, i_ - b));
  }
  // Token68 values (Basic's "realm" is always a param, but be lenient): '=' padding.
  std::string token68_tail() {
    size_t b = i_;
    while (!done() && s_[i_] == '=') ++i_;
    return std::string(s_.substr(b, i_ - b));
  }
  // Unquoted values: RFC tokens, leniently up to ',' or blank (URLs seen in the wild).
  std::string bare() {
    size_t b = i_;
    while (!done() && s_[i_] != ',' && s_[i_] != ' ' && s_[i_] != '\t') ++i_;
    return std::string(s_.substr(b, i_ - b));
  }
  std::string quoted() {
    std::string out;
    ++i_;  // opening quote
    while (!done() && s_[i_] != '"') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
      out += s_[i_++];
    }
    if (!done()) ++i_;  // closing quote
    return out;
  }
  size_t pos() const { return i_; }
  void set_pos(size_t p) { i_ = p; }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::string Challenge::param(const std::string& key) const {
  auto it = params.find(key);
  return it == params.end() ? "" : it->second;
}

std::vector<Challenge> parse_challenges(std::string_view header) {
  std::vector<Challenge> out;
  Scanner sc(header);
  while (true) {
    sc.skip_separators();
    if (sc.done()) break;
    std::string scheme = sc.token();
    if (scheme.empty()) {
      sc.set_pos(sc.pos() + 1);  // skip garbage
      continue;
    }
    Challenge ch;
    ch.scheme = lower(scheme);
    // auth-params: name=value pairs until a token not followed by '=' (the
    // next challenge's scheme) or the end.
    while (true) {
      sc.skip_separators();
      if (sc.done()) break;
      size_t save = sc.pos();
      std::string name = sc.token();
      sc.skip_space();
      if (name.empty() || sc.peek() != '=') {
        sc.set_pos(save);
        break;
      }
      std::string pad = sc.token68_tail();
      sc.skip_space();
      if (pad.size() > 1 || sc.done() || sc.peek() == ',') {
        // token68 ("abc==") rather than a parameter; keep it under its own key.
        ch.params["token68"] = name + pad;
        continue;
      }
      std::string value = sc.peek() == '"' ? sc.quoted() : sc.bare();
      ch.params[lower(name)] = value;
    }
    out.push_back(std::move(ch));
  }
  return out;
}

}  // namespace distill::registry
