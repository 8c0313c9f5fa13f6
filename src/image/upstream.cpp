#include "image/upstream.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "archive/tar_reader.h"
#include "debian/cache.h"
#include "image/layer_plan.h"
#include "image/package_layer.h"
#include "net/http.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The `registry=` value of an npmrc file, "" when it has none.
std::string npmrc_registry(const std::string& path) {
  std::ifstream in(path);
  std::string line, found;
  while (std::getline(in, line)) {
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == ';' || line[start] == '#') continue;
    size_t eq = line.find('=', start);
    if (eq == std::string::npos) continue;
    std::string key = line.substr(start, eq - start);
    key.erase(key.find_last_not_of(" \t") + 1);
    if (key != "registry") continue;
    std::string value = line.substr(eq + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r") + 1);
    found = value;  // npm lets the last one win
  }
  return found;
}

std::vector<long> version_parts(const std::string& v) {
  std::vector<long> out;
  size_t i = 0;
  while (i <= v.size()) {
    size_t j = v.find('.', i);
    if (j == std::string::npos) j = v.size();
    std::string part = v.substr(i, j - i);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos) return {};
    out.push_back(std::stol(part));
    i = j + 1;
  }
  return out;
}

// The version of `versions` that `want` names: itself, or for "22", "22.x",
// "22.1.x" the highest release (no pre-release) with that prefix.
std::string pick_version(const nlohmann::json& versions, std::string want) {
  if (versions.contains(want)) return want;
  while (want.size() >= 2 && want.compare(want.size() - 2, 2, ".x") == 0)
    want.resize(want.size() - 2);
  std::vector<long> prefix = version_parts(want);
  if (prefix.empty()) return "";
  std::string best;
  std::vector<long> best_parts;
  for (const auto& [v, _] : versions.items()) {
    std::vector<long> parts = version_parts(v);
    if (parts.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), parts.begin()))
      continue;
    if (best.empty() || parts > best_parts) best = v, best_parts = parts;
  }
  return best;
}

net::Client client_for(const SourceOptions& opts) {
  net::ClientOptions co;
  if (opts.timeout_seconds > 0) {
    co.timeouts.connect_seconds = opts.timeout_seconds;
    co.timeouts.stall_seconds = opts.timeout_seconds;
  }
  return net::Client(co);
}

UpstreamTarball resolve_npm(const UpstreamSpec& u, const SourceOptions& opts) {
  size_t at = u.npm.find('@', 1);
  std::string name = u.npm.substr(0, at), want = u.npm.substr(at + 1);
  std::string registry = npm_registry();
  if (registry.empty()) {
    throw Error(u.where + ": npm " + u.npm +
                ": no npm registry is configured; set npm_config_registry or registry= in "
                "~/.npmrc");
  }
  if (opts.network == Network::kOffline) {
    throw Error(u.where + ": npm " + u.npm +
                ": --offline needs a lock that pins it (distill lock writes one)");
  }
  std::string doc_url = registry + "/" + (name[0] == '@' ? "@" + name.substr(1) : name);
  if (size_t slash = doc_url.find('/', registry.size() + 2); slash != std::string::npos)
    doc_url.replace(slash, 1, "%2f");
  net::Response r;
  try {
    net::Client http = client_for(opts);
    r = http.send(net::Request{"GET", doc_url, {}, "", nullptr, -1, true});
  } catch (const Error& e) {
    throw Error(u.where + ": npm " + u.npm + ": cannot reach the registry: " + e.what());
  }
  if (r.status != 200) {
    throw Error(u.where + ": npm " + u.npm + ": " + net::redact_url(doc_url) + " answered HTTP " +
                std::to_string(r.status));
  }
  nlohmann::json doc = nlohmann::json::parse(r.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("versions") || !doc["versions"].is_object())
    throw Error(u.where + ": npm " + u.npm + ": the registry's package document has no versions");
  std::string version = pick_version(doc["versions"], want);
  if (version.empty())
    throw Error(u.where + ": npm " + u.npm + ": the registry has no version matching " + want);
  const auto& dist = doc["versions"][version]["dist"];
  if (!dist.is_object() || !dist.value("tarball", nlohmann::json()).is_string() ||
      !dist.value("integrity", nlohmann::json()).is_string())
    throw Error(u.where + ": npm " + name + "@" + version + ": no dist.tarball and dist.integrity");
  UpstreamTarball t{"npm:" + u.npm, dist["tarball"], dist["integrity"], version, ""};
  if (!u.integrity.empty() && u.integrity != t.integrity) {
    throw Error(u.where + ": npm " + name + "@" + version + ": the registry's integrity " +
                t.integrity + " is not the definition's " + u.integrity);
  }
  return t;
}

std::string base64_to_hex(const std::string& b64) {
  std::string raw(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n < 0) return "";
  size_t pad = 0;
  for (size_t i = b64.size(); i > 0 && b64[i - 1] == '='; --i) ++pad;
  raw.resize(static_cast<size_t>(n) - pad);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) hex += std::string{kHex[c >> 4], kHex[c & 15]};
  return hex;
}

std::string hex_to_base64(const std::string& hex) {
  std::string raw;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

std::string upstream_name(const UpstreamSpec& u) {
  if (!u.name.empty()) return u.name;
  if (!u.npm.empty()) return u.npm.substr(0, u.npm.find('@', 1));
  return u.url;
}

std::vector<UpstreamSpec> upstreams_for_arch(const Definition& def, const std::string& arch) {
  std::vector<UpstreamSpec> out;
  std::map<std::string, std::vector<const UpstreamSpec*>> by_name;
  for (const auto& u : def.upstreams) by_name[upstream_name(u)].push_back(&u);
  for (const auto& u : def.upstreams) {
    const auto& a = u.architectures;
    if (a.empty() || std::find(a.begin(), a.end(), arch) != a.end()) out.push_back(u);
  }
  for (const auto& [name, items] : by_name) {
    std::string covered, lines;
    size_t here = 0;
    for (const UpstreamSpec* u : items) {
      const auto& a = u->architectures;
      if (a.empty() || std::find(a.begin(), a.end(), arch) != a.end()) ++here;
      for (const auto& x : a) covered += (covered.empty() ? "" : ", ") + x;
      lines += (lines.empty() ? "" : ", ") + u->where;
    }
    if (here == 1) continue;
    if (here == 0) {
      throw Error(items[0]->where + ": upstream " + name + " has no item for architecture " + arch +
                  " (its items are for " + covered + "); build for one of those");
    }
    throw Error(items[0]->where + ": upstream " + name + " has " + std::to_string(here) +
                " items for architecture " + arch + " (" + lines +
                "); give each its own architectures: or name:");
  }
  return out;
}

std::string npm_registry() {
  std::string r = env("npm_config_registry");
  if (r.empty()) r = env("NPM_CONFIG_REGISTRY");
  std::vector<std::string> files;
  if (!env("HOME").empty()) files.push_back(env("HOME") + "/.npmrc");
  if (!env("npm_config_globalconfig").empty()) files.push_back(env("npm_config_globalconfig"));
  if (!env("PREFIX").empty()) files.push_back(env("PREFIX") + "/etc/npmrc");
  files.push_back("/etc/npmrc");
  for (size_t i = 0; r.empty() && i < files.size(); ++i) r = npmrc_registry(files[i]);
  while (!r.empty() && r.back() == '/') r.pop_back();
  return r;
}

std::pair<std::string, std::string> parse_integrity(const std::string& integrity,
                                                    const std::string& where) {
  size_t dash = integrity.find('-');
  std::string algo = dash == std::string::npos ? "" : integrity.substr(0, dash);
  std::string hex = algo.empty() ? "" : base64_to_hex(integrity.substr(dash + 1));
  size_t want = algo == "sha512" ? 128 : algo == "sha256" ? 64 : 0;
  if (want == 0 || hex.size() != want) {
    throw Error(where + ": integrity '" + integrity +
                "' is not sha512-BASE64 or sha256-BASE64 of the right length");
  }
  return {algo, hex};
}

std::string file_digest_hex(const std::string& path, const std::string& algo) {
  const EVP_MD* md = algo == "sha512" ? EVP_sha512() : EVP_sha256();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) throw Error("cannot start " + algo);
  FileSource in(path);
  std::vector<char> buf(1 << 16);
  for (size_t n; (n = in.read(buf.data(), buf.size())) > 0;)
    EVP_DigestUpdate(ctx.get(), buf.data(), n);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), out, &len);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) hex += std::string{kHex[out[i] >> 4], kHex[out[i] & 15]};
  return hex;
}

UpstreamTarball resolve_upstream(const UpstreamSpec& u, const SourceOptions& opts,
                                 const debian::Lockfile* lock) {
  std::string item = u.npm.empty() ? u.url : "npm:" + u.npm;
  if (lock) {
    for (const auto& l : lock->upstreams) {
      if (l.item == item) return {item, l.url, l.integrity, l.version, ""};
    }
  }
  if (!u.npm.empty()) return resolve_npm(u, opts);
  std::string integrity = u.integrity.empty() ? "sha256-" + hex_to_base64(u.sha256) : u.integrity;
  if (!u.integrity.empty() && !u.sha256.empty() &&
      parse_integrity(u.integrity, u.where).first == "sha256" &&
      parse_integrity(u.integrity, u.where).second != u.sha256)
    throw Error(u.where + ": upstream " + u.url + ": sha256 and integrity disagree");
  return {item, u.url, integrity, u.version, ""};
}

void fetch_upstream(UpstreamTarball& t, const SourceOptions& opts, const std::string& where) {
  auto [algo, hex] = parse_integrity(t.integrity, where);
  debian::Cache cache(opts.cache_dir);
  std::string dir = join_path(cache.dir(), "upstream");
  make_dirs(dir);
  std::string path = join_path(dir, algo + "-" + hex);
  if (path_exists(path)) {
    if (file_digest_hex(path, algo) == hex) {
      t.path = path;
      return;
    }
    ::unlink(path.c_str());  // corrupt: fetched again
  }
  std::string what = where + ": upstream " + net::redact_url(t.url);
  if (opts.network == Network::kOffline)
    throw Error(what + ": not in the cache, and --offline forbids downloading it");
  std::string tmp = cache.temp_path("upstream-" + hex.substr(0, 16));
  struct Cleanup {
    std::string p;
    ~Cleanup() { ::unlink(p.c_str()); }
  } cleanup{tmp};
  try {
    net::Client http = client_for(opts);
    http.download(t.url, tmp);
  } catch (const Error& e) {
    throw Error(what + ": cannot fetch it: " + e.what());
  }
  std::string got = file_digest_hex(tmp, algo);
  if (got != hex) {
    throw Error(what + ": " + algo + " mismatch: expected " + t.integrity + ", got " + algo + "-" +
                hex_to_base64(got) + "; the download is not the tarball the item pins");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw_errno("cannot store", path);
  t.path = path;
}

namespace {

// The member's path after u.strip, "" when it is not under it.
std::string stripped(const std::string& path, const std::string& strip) {
  std::string s = strip;
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (s.empty()) return path;
  if (path.size() <= s.size() + 1 || path.compare(0, s.size(), s) != 0 || path[s.size()] != '/')
    return "";
  return path.substr(s.size() + 1);
}

std::vector<std::string> include_globs(const UpstreamSpec& u) {
  std::vector<std::string> out;
  for (const auto& g : u.include) out.push_back(g.empty() || g[0] != '/' ? "/" + g : g);
  return out;
}

}  // namespace

BuiltLayer write_upstream_layer(const std::string& dir, const LayerBlobOptions& blob,
                                const UpstreamSpec& u, const std::string& path, int64_t mtime,
                                const std::string& label) {
  std::vector<std::string> globs = include_globs(u);
  std::string dest = u.dest == "/" ? "" : u.dest;
  LayerPlan plan;
  std::map<std::string, std::string> data_of;  // for hardlinks
  TarReader tar(std::make_unique<FileSource>(path), label);
  TarEntry e;
  while (tar.next(e)) {
    std::string rel = stripped(e.path, u.strip);
    if (rel.empty() || (!globs.empty() && !path_excluded(rel, globs))) continue;
    std::string at = dest + "/" + rel;
    if (e.type == TarEntry::Type::kDirectory) {
      plan.add_directory(at, 0755, 0, 0, u.where);
    } else if (e.type == TarEntry::Type::kSymlink) {
      plan.add_symlink(at, e.link, 0, 0, u.where);
    } else if (e.type == TarEntry::Type::kFile || e.type == TarEntry::Type::kHardlink) {
      std::string data = e.type == TarEntry::Type::kFile ? tar.read_all_data() : data_of[e.link];
      if (e.type == TarEntry::Type::kFile && e.size < (64u << 20)) data_of[e.path] = data;
      plan.add_file(at, std::move(data), (e.mode & 0111) ? 0555 : 0644, 0, 0, u.where);
    }
  }
  if (plan.empty()) {
    throw Error(u.where + ": upstream " + (u.npm.empty() ? u.url : u.npm) +
                ": no member matches strip: and include:");
  }
  return write_layer_blob(dir, blob, label, [&](TarWriter& t) { plan.write(t, mtime); });
}

}  // namespace distill
