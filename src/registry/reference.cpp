#include "registry/reference.h"

#include <cctype>

#include "oci/names.h"
#include "util/error.h"

namespace distill::registry {

namespace {

bool is_alnum_lower(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// One path component: [a-z0-9]+ joined by '.', '_', '__' or '-'+.
bool valid_component(const std::string& c) {
  if (c.empty() || !is_alnum_lower(c.front()) || !is_alnum_lower(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (is_alnum_lower(ch)) continue;
    if (ch == '.' || ch == '-') {
      if (ch == '.' && !is_alnum_lower(c[i + 1])) return false;
      continue;
    }
    if (ch == '_') {
      if (i + 1 < c.size() && c[i + 1] == '_') ++i;
      if (!is_alnum_lower(c[i + 1])) return false;
      continue;
    }
    return false;
  }
  return true;
}

bool valid_tag(const std::string& t) {
  if (t.empty() || t.size() > 128) return false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!word(t[0])) return false;
  for (char c : t) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

bool valid_digest(const std::string& d) {
  if (d.rfind("sha256:", 0) != 0 || d.size() != 7 + 64) return false;
  for (size_t i = 7; i < d.size(); ++i) {
    char c = d[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool valid_host(const std::string& h) {
  if (h.empty()) return false;
  for (char c : h) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' &&
        c != '[' && c != ']')
      return false;
  }
  return true;
}

}  // namespace

std::string ImageRef::api_host() const {
  return registry == kDockerHub ? "registry-1.docker.io" : registry;
}

std::string ImageRef::to_string() const {
  std::string s = name();
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

ImageRef parse_image_ref(const std::string& text) {
  std::string rest = text;
  if (rest.rfind("docker://", 0) == 0) rest = rest.substr(9);
  auto fail = [&](const std::string& why) -> Error {
    return Error("bad registry reference '" + text + "': " + why +
                 " (expected [HOST[:PORT]/]REPO[:TAG][@sha256:DIGEST])");
  };
  if (rest.empty()) throw fail("it is empty");
  ImageRef r;
  if (size_t at = rest.find('@'); at != std::string::npos) {
    r.digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
    if (!valid_digest(r.digest)) throw fail("the digest '" + r.digest + "' is not sha256:<64 hex>");
  }
  // A ':' after the last '/' starts the tag; one before it is a port.
  size_t slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    r.tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (!valid_tag(r.tag)) throw fail(oci::tag_problem(r.tag));
  }
  size_t first = rest.find('/');
  std::string head = rest.substr(0, first);
  if (first != std::string::npos &&
      (head.find('.') != std::string::npos || head.find(':') != std::string::npos ||
       head == "localhost" || head.find('[') != std::string::npos)) {
    r.registry = head;
    r.repository = rest.substr(first + 1);
    if (!valid_host(r.registry)) throw fail("the registry host '" + r.registry + "' is not valid");
  } else {
    r.registry = kDockerHub;
    r.repository = rest;
  }
  if (r.registry == "index.docker.io" || r.registry == "registry-1.docker.io")
    r.registry = kDockerHub;
  if (r.repository.empty()) throw fail("it names no repository");
  size_t start = 0;
  while (start <= r.repository.size()) {
    size_t end = r.repository.find('/', start);
    if (end == std::string::npos) end = r.repository.size();
    std::string comp = r.repository.substr(start, end - start);
    if (!valid_component(comp)) {
      throw fail("the repository path component '" + comp +
                 "' must be lowercase letters and digits joined by '.', '_' or '-'");
    }
    start = end + 1;
  }
  if (r.repository.size() > 255) throw fail("the repository name is longer than 255 characters");
  if (r.registry == kDockerHub && r.repository.find('/') == std::string::npos)
    r.repository = "library/" + r.repository;
  if (r.tag.empty() && r.digest.empty()) r.tag = "latest";
  return r;
}

}  // namespace distill::registry
