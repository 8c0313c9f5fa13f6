// GET /v2/REPO/tags/list (distribution spec "Listing Tags"), following the
// Link header's rel="next" pages that large repositories answer with.
#include "oci/types.h"
#include "registry/auth.h"
#include "registry/open.h"
#include "registry/reference.h"
#include "registry/session.h"
#include "util/error.h"

namespace distill::registry {

namespace {

constexpr int kMaxPages = 1000;  // a registry that links pages forever

// The target of `<URL>; rel="next"`, or "" at the last page.
std::string next_page(const net::Response& r) {
  std::string link = r.headers.get("Link").value_or("");
  if (link.find("rel=\"next\"") == std::string::npos) return "";
  size_t open = link.find('<');
  size_t close = link.find('>', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return "";
  return link.substr(open + 1, close - open - 1);
}

}  // namespace

std::vector<std::string> list_tags(const std::string& text, const RegistryOptions& opts) {
  ImageRef ref = parse_image_ref(text);
  Session session(ref.registry, ref.api_host(), opts);
  std::string name = ref.name();
  std::vector<std::string> tags;
  std::string url = "/v2/" + ref.repository + "/tags/list";
  for (int page = 0; !url.empty(); ++page) {
    if (page == kMaxPages) throw Error("listing tags of " + name + ": more than 1000 pages");
    net::Request req;
    req.url = url;
    net::Response r = session.send(req, repository_scope(ref.repository, false));
    if (r.status == 404) throw Error("repository " + name + " not found (HTTP 404)");
    if (r.status != 200) session.fail(r, "listing tags of " + name);
    nlohmann::json j = oci::parse_json(r.body, "tag list of " + name);
    const auto it = j.find("tags");
    if (it != j.end() && !it->is_null()) {
      if (!it->is_array()) throw Error("tag list of " + name + ": \"tags\" is not an array");
      for (const auto& t : *it) {
        if (!t.is_string()) throw Error("tag list of " + name + ": a tag is not a string");
        tags.push_back(t.get<std::string>());
      }
    }
    url = next_page(r);
  }
  return tags;
}

}  // namespace distill::registry
