#include "sbom/document.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <tuple>

#include "inspect/facts.h"
#include "sbom/dependencies.h"
#include "sbom/purl.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace distill::sbom {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

OsInfo os_info(const inspect::MergedFs& fs, bool* found) {
  OsInfo os;
  *found = false;
  for (const char* path : {"etc/os-release", "usr/lib/os-release"}) {
    const std::string* text = fs.content(path);
    if (!text) continue;
    auto kv = inspect::parse_os_release(*text);
    os.id = lower(kv["ID"]);
    os.version_id = kv["VERSION_ID"];
    *found = true;
    break;
  }
  if (const std::string* dv = fs.content("etc/debian_version")) {
    os.version = std::string(trim(*dv));
    if (os.id.empty()) os.id = "debian";
    *found = true;
  }
  if (os.id.empty()) os.id = "debian";
  // Debian's VERSION_ID is the major release; testing/sid have none, and
  // then debian_version's "12.5" still names it.
  std::string major = os.version_id;
  if (major.empty()) major = os.version.substr(0, os.version.find('.'));
  if (!major.empty() && major.find_first_not_of("0123456789.") == std::string::npos)
    os.distro = os.id + "-" + major;
  if (os.version.empty()) os.version = os.version_id;
  return os;
}

// Gives each LicenseRef id one text across the document.
void unify_license_refs(std::vector<SbomPackage>& packages,
                        std::vector<std::vector<LicenseRef>>& refs, std::vector<LicenseRef>& out) {
  std::map<std::string, std::set<std::string>> texts;
  for (const auto& list : refs)
    for (const auto& r : list) texts[r.id].insert(r.text);
  std::map<std::string, LicenseRef> unique;
  for (size_t i = 0; i < packages.size(); ++i) {
    for (auto r : refs[i]) {
      if (texts[r.id].size() > 1) {
        std::string id = r.id + "-" + sha256_hex(r.text).substr(0, 8);
        packages[i].license = rename_license_ref(packages[i].license, r.id, id);
        r.id = id;
      }
      unique.emplace(r.id, r);
    }
  }
  for (auto& [id, r] : unique) out.push_back(r);
}

}  // namespace

Contact parse_maintainer(const std::string& maintainer) {
  Contact c{maintainer, ""};
  size_t lt = maintainer.find('<');
  size_t gt = lt == std::string::npos ? lt : maintainer.find('>', lt);
  if (gt != std::string::npos) {
    c.email = maintainer.substr(lt + 1, gt - lt - 1);
    c.name = std::string(trim(std::string_view(maintainer).substr(0, lt)));
  }
  return c;
}

int64_t source_date_epoch() {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (!env || !*env) return 0;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(env, &end, 10);
  if (*end || v < 0 || errno == ERANGE)
    throw Error("SOURCE_DATE_EPOCH must be a non-negative integer (seconds), not '" +
                std::string(env) + "'");
  return v;
}

std::string rfc3339_utc(int64_t epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm))
    throw Error("SOURCE_DATE_EPOCH " + std::to_string(epoch_seconds) +
                " is out of range for a date");
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string uuid_v5(const std::string& name) {
  // RFC 9562 section 5.5: SHA-1 over namespace bytes + name.
  static const unsigned char kUrlNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  std::string input(reinterpret_cast<const char*>(kUrlNamespace), 16);
  input += name;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(input.data(), input.size(), md, &n, EVP_sha1(), nullptr) != 1 || n < 16)
    throw Error("OpenSSL cannot compute SHA-1 for a UUID here");
  md[6] = static_cast<unsigned char>((md[6] & 0x0f) | 0x50);
  md[8] = static_cast<unsigned char>((md[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

std::string npm_purl(const std::string& name, const std::string& version) {
  std::string ns, base = name;
  if (name.starts_with("@") && name.find('/') != std::string::npos) {
    ns = purl_encode(name.substr(0, name.find('/'))) + "/";
    base = name.substr(name.find('/') + 1);
  }
  return "pkg:npm/" + ns + purl_encode(base) + (version.empty() ? "" : "@" + purl_encode(version));
}

std::string generic_purl(const std::string& name, const std::string& url) {
  return "pkg:generic/" + purl_encode(name) + "?download_url=" + purl_encode(url);
}

namespace {

// The recorded .debs a part layer read whose files reached the image though
// no status.d entry names them (busybox-static under /busybox): Trivy and
// dpkg cannot see them, so they are components of their own, with the
// .deb's hash and purl, in the record's order. `unmatched` holds the keys
// no installed package took.
std::vector<Artifact> part_only_debs(
    const std::vector<RecordedDeb>& debs,
    const std::map<std::tuple<std::string, std::string, std::string>, const RecordedDeb*>&
        unmatched,
    const OsInfo& os) {
  std::vector<Artifact> out;
  std::set<const RecordedDeb*> seen;
  for (const auto& d : debs) {
    auto it = unmatched.find({d.name, d.version, d.architecture});
    if (!d.part_only || it == unmatched.end() || !seen.insert(it->second).second) continue;
    Artifact a;
    a.kind = Artifact::Kind::kUpstream;
    a.name = d.name;
    a.version = d.version;
    a.location = d.download_location;
    a.purl = deb_purl(DebPurl{os.id.empty() ? "debian" : os.id, d.name, d.version, d.architecture,
                              os.distro, "", ""});
    a.sha256 = d.sha256;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

Sbom build_sbom(const ImageFiles& image, int64_t created_epoch, const BuildRecord* record) {
  Sbom s;
  s.image_name = image.name.empty() ? "image" : image.name;
  s.image_digest = image.digest;
  s.architecture = image.platform.architecture;
  s.image_purl = "pkg:oci/" + purl_encode(lower(s.image_name)) + "@" + purl_encode(image.digest) +
                 (s.architecture.empty() ? "" : "?arch=" + purl_encode(s.architecture));
  s.created = rfc3339_utc(created_epoch);
  s.os = os_info(image.fs, &s.has_os);
  PackageDb db = read_packages(image.fs);
  if (!db.problems.empty()) throw Error(db.problems.front());
  std::vector<std::vector<LicenseRef>> refs;
  for (auto& deb : db.packages) {
    SbomPackage p;
    DebPurl purl{s.os.id,     deb.name,   deb.version,       deb.architecture,
                 s.os.distro, deb.source, deb.source_version};
    p.purl = deb_purl(purl);
    std::string where = "/usr/share/doc/" + deb.name + "/copyright";
    LicenseInfo lic;
    if (const std::string* text = image.fs.content(where.substr(1)))
      lic = copyright_license(*text, where);
    p.license = lic.expression;
    refs.push_back(lic.expression.empty() ? std::vector<LicenseRef>{} : lic.refs);
    p.deb = std::move(deb);
    s.packages.push_back(std::move(p));
  }
  if (record) {
    std::map<std::tuple<std::string, std::string, std::string>, const RecordedDeb*> by_key;
    for (const auto& d : record->debs) by_key[{d.name, d.version, d.architecture}] = &d;
    for (auto& p : s.packages) {
      auto it = by_key.find({p.deb.name, p.deb.version, p.deb.architecture});
      if (it == by_key.end()) continue;
      p.sha256 = it->second->sha256;
      p.download_location = it->second->download_location;
      by_key.erase(it);
    }
    s.artifacts = part_only_debs(record->debs, by_key, s.os);
    s.artifacts.insert(s.artifacts.end(), record->artifacts.begin(), record->artifacts.end());
  }
  std::vector<InstalledPackage> debs;
  for (const auto& p : s.packages) debs.push_back(p.deb);
  std::vector<std::string> problems;
  for (auto [from, to] : dependency_edges(debs, s.architecture, &problems))
    s.packages[from].depends_on.push_back(to);
  if (!problems.empty()) throw Error(problems.front());
  unify_license_refs(s.packages, refs, s.license_refs);
  return s;
}

}  // namespace distill::sbom
