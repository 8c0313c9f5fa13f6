#include "debian/lockfile.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "debian/version.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::debian {
namespace {

using Json = nlohmann::ordered_json;  // keeps our key order on output

bool is_sha256(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Typed field access whose errors name the file and the JSON path.
class Reader {
 public:
  explicit Reader(std::string where) : where_(std::move(where)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& why) const {
    throw Error(where_ + ": " + path + ": " + why);
  }
  const Json& field(const Json& obj, const std::string& path, const char* key) const {
    auto it = obj.find(key);
    if (it == obj.end()) fail(path + "." + key, "missing");
    return *it;
  }
  std::string str(const Json& obj, const std::string& path, const char* key) const {
    const Json& v = field(obj, path, key);
    if (!v.is_string()) fail(path + "." + key, "expected a string");
    return v.get<std::string>();
  }
  uint64_t num(const Json& obj, const std::string& path, const char* key) const {
    const Json& v = field(obj, path, key);
    if (!v.is_number_unsigned()) fail(path + "." + key, "expected a non-negative integer");
    return v.get<uint64_t>();
  }

 private:
  std::string where_;
};

}  // namespace

std::string lockfile_to_json(const Lockfile& lock) {
  Json j;
  j["version"] = lock.version;
  if (!lock.snapshot.empty()) j["snapshot"] = lock.snapshot;
  std::vector<LockedRelease> releases = lock.releases;
  std::sort(releases.begin(), releases.end(), [](const LockedRelease& a, const LockedRelease& b) {
    return std::tie(a.repo_uri, a.suite) < std::tie(b.repo_uri, b.suite);
  });
  j["releases"] = Json::array();
  for (const auto& r : releases) {
    Json o;
    o["repo_uri"] = r.repo_uri;
    o["suite"] = r.suite;
    o["inrelease_sha256"] = r.inrelease_sha256;
    o["date"] = r.date;
    j["releases"].push_back(std::move(o));
  }
  if (!lock.upstreams.empty()) {
    j["upstream"] = Json::array();
    for (const auto& u : lock.upstreams) {
      Json o{{"item", u.item}, {"url", u.url}, {"integrity", u.integrity}};
      if (!u.version.empty()) o["version"] = u.version;
      j["upstream"].push_back(std::move(o));
    }
  }
  j["packages"] = Json::object();
  for (const auto& [arch, list] : lock.packages) {  // std::map: archs sorted
    std::vector<LockedPackage> sorted = list;
    std::sort(sorted.begin(), sorted.end(), [](const LockedPackage& a, const LockedPackage& b) {
      return std::tie(a.name, a.architecture) < std::tie(b.name, b.architecture);
    });
    Json arr = Json::array();
    for (const auto& p : sorted) {
      Json o;
      o["name"] = p.name;
      o["version"] = p.version;
      o["architecture"] = p.architecture;
      o["repo_uri"] = p.repo_uri;
      o["suite"] = p.suite;
      o["component"] = p.component;
      o["filename"] = p.filename;
      o["size"] = p.size;
      o["sha256"] = p.sha256;
      arr.push_back(std::move(o));
    }
    j["packages"][arch] = std::move(arr);
  }
  return j.dump(2) + "\n";
}

Lockfile lockfile_from_json(const std::string& text, const std::string& where) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {
    throw Error(where + ": not valid JSON: " + e.what());
  }
  Reader rd(where);
  if (!j.is_object()) rd.fail("(top level)", "expected an object");
  Lockfile lock;
  const Json& v = rd.field(j, "", "version");
  if (!v.is_number_integer()) rd.fail(".version", "expected an integer");
  lock.version = v.get<int>();
  if (lock.version != 1)
    rd.fail(".version", "unsupported lockfile version " + std::to_string(lock.version) +
                            " (this distill reads version 1)");
  if (auto it = j.find("snapshot"); it != j.end()) {
    if (!it->is_string()) rd.fail(".snapshot", "expected a string");
    lock.snapshot = it->get<std::string>();
    bool ok = lock.snapshot.size() == 16 && lock.snapshot[8] == 'T' && lock.snapshot[15] == 'Z';
    for (size_t i = 0; ok && i < 15; ++i)
      if (i != 8 && (lock.snapshot[i] < '0' || lock.snapshot[i] > '9')) ok = false;
    if (!ok) rd.fail(".snapshot", "expected a timestamp like 20260818T205150Z");
  }
  const Json& rels = rd.field(j, "", "releases");
  if (!rels.is_array()) rd.fail(".releases", "expected an array");
  for (size_t i = 0; i < rels.size(); ++i) {
    std::string path = ".releases[" + std::to_string(i) + "]";
    if (!rels[i].is_object()) rd.fail(path, "expected an object");
    LockedRelease r;
    r.repo_uri = rd.str(rels[i], path, "repo_uri");
    r.suite = rd.str(rels[i], path, "suite");
    r.inrelease_sha256 = rd.str(rels[i], path, "inrelease_sha256");
    r.date = rd.str(rels[i], path, "date");
    if (!is_sha256(r.inrelease_sha256))
      rd.fail(path + ".inrelease_sha256", "expected 64 lowercase hex digits");
    lock.releases.push_back(std::move(r));
  }
  if (auto it = j.find("upstream"); it != j.end()) {
    if (!it->is_array()) rd.fail(".upstream", "expected an array");
    for (size_t i = 0; i < it->size(); ++i) {
      std::string path = ".upstream[" + std::to_string(i) + "]";
      if (!(*it)[i].is_object()) rd.fail(path, "expected an object");
      const Json& o = (*it)[i];
      std::string version = o.contains("version") ? rd.str(o, path, "version") : "";
      lock.upstreams.push_back(
          {rd.str(o, path, "item"), rd.str(o, path, "url"), rd.str(o, path, "integrity"), version});
    }
  }
  const Json& pkgs = rd.field(j, "", "packages");
  if (!pkgs.is_object()) rd.fail(".packages", "expected an object keyed by architecture");
  for (const auto& [arch, list] : pkgs.items()) {
    std::string apath = ".packages." + arch;
    if (!list.is_array()) rd.fail(apath, "expected an array");
    auto& out = lock.packages[arch];
    std::set<std::string> seen;
    for (size_t i = 0; i < list.size(); ++i) {
      std::string path = apath + "[" + std::to_string(i) + "]";
      const Json& o = list[i];
      if (!o.is_object()) rd.fail(path, "expected an object");
      LockedPackage p;
      p.name = rd.str(o, path, "name");
      if (p.name.empty()) rd.fail(path + ".name", "empty");
      path += " (" + p.name + ")";
      p.version = rd.str(o, path, "version");
      std::string problem = version_problem(p.version, /*strict=*/false);
      if (!problem.empty())
        rd.fail(path + ".version", "invalid version '" + p.version + "': " + problem);
      p.architecture = rd.str(o, path, "architecture");
      p.repo_uri = rd.str(o, path, "repo_uri");
      p.suite = rd.str(o, path, "suite");
      p.component = rd.str(o, path, "component");
      p.filename = rd.str(o, path, "filename");
      if (p.filename.empty()) rd.fail(path + ".filename", "empty");
      p.size = rd.num(o, path, "size");
      p.sha256 = rd.str(o, path, "sha256");
      if (!is_sha256(p.sha256)) rd.fail(path + ".sha256", "expected 64 lowercase hex digits");
      if (!seen.insert(p.name + ":" + p.architecture).second)
        rd.fail(path, "package listed twice for " + arch);
      out.push_back(std::move(p));
    }
  }
  return lock;
}

Lockfile read_lockfile(const std::string& path) {
  if (!path_exists(path)) throw Error(path + ": lockfile not found");
  return lockfile_from_json(read_file(path), path);
}

void write_lockfile(const Lockfile& lock, const std::string& path) {
  write_file_atomic(path, lockfile_to_json(lock));
}

std::vector<std::string> diff_lockfiles(const Lockfile& old_lock, const Lockfile& new_lock) {
  std::set<std::string> archs;
  for (const auto& [a, l] : old_lock.packages) archs.insert(a);
  for (const auto& [a, l] : new_lock.packages) archs.insert(a);
  bool prefix = archs.size() > 1;
  std::vector<std::string> out;
  for (const std::string& arch : archs) {
    std::map<std::string, const LockedPackage*> before, after;
    if (auto it = old_lock.packages.find(arch); it != old_lock.packages.end())
      for (const auto& p : it->second) before[p.name] = &p;
    if (auto it = new_lock.packages.find(arch); it != new_lock.packages.end())
      for (const auto& p : it->second) after[p.name] = &p;
    std::set<std::string> names;
    for (const auto& [n, p] : before) names.insert(n);
    for (const auto& [n, p] : after) names.insert(n);
    std::string pre = prefix ? arch + ": " : "";
    for (const std::string& n : names) {
      auto b = before.find(n), a = after.find(n);
      if (b == before.end()) {
        out.push_back(pre + "+ " + n + " " + a->second->version);
      } else if (a == after.end()) {
        out.push_back(pre + "- " + n + " " + b->second->version);
      } else if (b->second->version != a->second->version) {
        out.push_back(pre + n + " " + b->second->version + " -> " + a->second->version);
      } else if (b->second->sha256 != a->second->sha256) {
        // Same version, different bytes: a rebuild or a different repository.
        out.push_back(pre + n + " " + a->second->version + " (sha256 changed)");
      }
    }
  }
  return out;
}

}  // namespace distill::debian
