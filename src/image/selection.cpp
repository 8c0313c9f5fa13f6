#include "image/selection.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <set>

#include "debian/resolver.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

debian::LockedPackage lock_entry(const debian::Package& p) {
  debian::LockedPackage l;
  l.name = p.name;
  l.version = p.version;
  l.architecture = p.architecture;
  l.suite = p.origin.suite;
  l.component = p.origin.component;
  l.filename = p.filename;
  l.repo_uri = p.origin.repo_uri;
  l.sha256 = p.sha256;
  l.size = p.size;
  return l;
}

// The archive overrides: a flag wins over the definition's key; *_set_by
// names whichever set the value, for error messages.
void set_sources(debian::ArchiveOptions& ao, const Definition& def, const SourceOptions& opts) {
  auto pick = [&](const std::string& flag_value, const std::string& key_value, const char* flag,
                  const char* key, std::string& value, std::string& set_by) {
    value = !flag_value.empty() ? flag_value : key_value;
    set_by = !flag_value.empty() ? flag : std::string(key) + ": in " + def.path;
  };
  pick(opts.mirror, def.mirror, "--mirror", "mirror", ao.mirror, ao.mirror_set_by);
  pick(opts.security_mirror, def.security_mirror, "--security-mirror", "security-mirror",
       ao.security_mirror, ao.security_mirror_set_by);
  pick(opts.snapshot, def.snapshot, "--snapshot", "snapshot", ao.snapshot, ao.snapshot_set_by);
  ao.snapshot_uri = opts.snapshot_uri;
  if (ao.snapshot_uri.empty())
    if (const char* env = std::getenv("DISTILL_SNAPSHOT_URI")) ao.snapshot_uri = env;
  ao.suites = !opts.suites.empty() ? opts.suites : def.suites;
  ao.suites_set_by = !opts.suites.empty() ? "--suites" : "suites: at " + def.suites_where;
  if (def.release_spec) {
    ao.release.name = def.release_spec->name;
    ao.release.codename = def.release_spec->codename;
    ao.release.suites = def.release_spec->suites;
    ao.release.components = def.release_spec->components;
  }
}

debian::ArchiveOptions archive_options(const Definition& def, const SourceOptions& opts,
                                       const std::vector<std::string>& arches) {
  debian::ArchiveOptions ao;
  for (const auto& r : def.repositories) {
    debian::Repository repo;
    repo.uri = r.uri;
    repo.suites = r.suites;
    repo.components = r.components;
    repo.keyring = r.keyring;
    repo.set_by = "from repositories: in " + def.path;
    ao.repositories.push_back(repo);
  }
  set_sources(ao, def, opts);
  ao.cache_dir = opts.cache_dir;
  ao.offline = opts.network == Network::kOffline;
  ao.speculate_releases = opts.speculate_releases && !ao.offline;
  ao.insecure_skip_signatures = opts.signatures == Signatures::kSkip;
  ao.architectures = arches;
  if (opts.timeout_seconds > 0) {
    ao.http.timeouts.connect_seconds = opts.timeout_seconds;
    ao.http.timeouts.stall_seconds = opts.timeout_seconds;
  }
  return ao;
}

}  // namespace

const SelectedPackage* Selection::source(const std::string& name) const {
  for (const auto& p : sources) {
    if (p.locked.name == name) return &p;
  }
  return nullptr;
}

PackageSelector::PackageSelector(const Definition& def, const SourceOptions& opts)
    : def_(def), opts_(opts) {
  if (opts.lock_file.empty()) return;
  lock_ = debian::read_lockfile(opts.lock_file);
  // The lock's packages carry their snapshot URIs; a different pin is a mistake.
  std::string want = snapshot();
  if (!want.empty() && want != lock_->snapshot) {
    throw Error(
        opts.lock_file + ": locked " +
        (lock_->snapshot.empty() ? "against the live archive" : "at snapshot " + lock_->snapshot) +
        ", not at snapshot " + want + "; run `distill lock --snapshot " + want + "`");
  }
}

std::string PackageSelector::snapshot() const {
  std::string ts = !opts_.snapshot.empty() ? opts_.snapshot : def_.snapshot;
  if (ts.empty() && lock_) ts = lock_->snapshot;
  return ts;
}

PackageSelector::~PackageSelector() = default;

debian::Archive& PackageSelector::archive(const std::vector<std::string>& arches) {
  if (!archive_) archive_ = std::make_unique<debian::Archive>(archive_options(def_, opts_, arches));
  return *archive_;
}

bool PackageSelector::confirm_releases() {
  return !archive_ || archive_->confirm_releases();
}

std::vector<debian::LockedRelease> PackageSelector::releases() const {
  return archive_ ? archive_->releases() : std::vector<debian::LockedRelease>{};
}

std::vector<std::pair<debian::LockedPackage, std::string>> PackageSelector::from_lock(
    const std::string& arch, const std::vector<std::string>& part_sources) {
  auto it = lock_->packages.find(arch);
  if (it == lock_->packages.end()) {
    throw Error(opts_.lock_file + ": no packages locked for architecture " + arch +
                " (run `distill lock` with --arch " + arch + ")");
  }
  std::map<std::string, debian::LockedPackage> by_name;
  for (const auto& l : it->second) by_name[l.name] = l;
  std::vector<std::pair<debian::LockedPackage, std::string>> chosen;
  auto take = [&](const std::string& name, const std::string& reason) {
    auto f = by_name.find(name);
    if (f == by_name.end()) {
      throw Error(opts_.lock_file + ": package " + name + " (" + arch +
                  ") is not in the lockfile; run `distill lock --update`");
    }
    chosen.emplace_back(f->second, reason);
    by_name.erase(f);
  };
  for (const auto& p : def_.packages) take(p.name, "requested (locked)");
  for (const auto& s : part_sources) take(s, "source of generated files (locked)");
  for (const auto& [name, l] : by_name) chosen.emplace_back(l, "dependency (locked)");
  return chosen;
}

std::vector<std::pair<debian::LockedPackage, std::string>> PackageSelector::resolved(
    const std::string& arch, const std::vector<std::string>& part_sources, Selection& sel) {
  const debian::PackageIndex& index = archive({arch}).index(arch);
  std::vector<debian::Request> reqs;
  for (const auto& p : def_.packages)
    reqs.push_back({p.name, "", p.resolve.value_or(def_.resolve)});
  for (const auto& s : part_sources) reqs.push_back({s, "", false});
  debian::ResolveOptions ro;
  ro.arch = arch;
  ro.exclude = def_.exclude_packages;
  debian::Resolution r = debian::resolve(index, reqs, ro);
  sel.warnings = r.warnings;
  using Entry = std::pair<debian::LockedPackage, std::string>;
  std::map<std::string, Entry> deps, direct;
  std::set<std::string> direct_names(part_sources.begin(), part_sources.end());
  for (const auto& p : def_.packages) direct_names.insert(p.name);
  for (const auto& rp : r.packages) {
    auto entry = std::make_pair(lock_entry(*rp.package), rp.reason);
    (direct_names.count(rp.package->name) ? direct : deps)[rp.package->name] = entry;
  }
  std::vector<Entry> chosen;
  for (const auto& p : def_.packages) chosen.push_back(direct.at(p.name));
  for (const auto& s : part_sources) chosen.push_back(direct.at(s));
  for (const auto& [name, e] : deps) chosen.push_back(e);
  return chosen;
}

Selection PackageSelector::select(const std::string& arch,
                                  const std::vector<std::string>& part_sources) {
  Selection sel;
  if (def_.packages.empty() && part_sources.empty()) return sel;
  auto chosen = lock_ ? from_lock(arch, part_sources) : resolved(arch, part_sources, sel);
  for (auto& [locked, reason] : chosen) {
    bool is_source =
        std::find(part_sources.begin(), part_sources.end(), locked.name) != part_sources.end();
    (is_source ? sel.sources : sel.installed).push_back({locked, reason, ""});
  }
  return sel;
}

void fetch_selection(debian::Archive& archive, Selection& sel) {
  std::vector<debian::LockedPackage> wanted;
  for (const auto& p : sel.installed) wanted.push_back(p.locked);
  for (const auto& p : sel.sources) wanted.push_back(p.locked);
  std::vector<std::string> paths = archive.fetch_locked(wanted);
  for (size_t i = 0; i < sel.installed.size(); ++i) sel.installed[i].deb_path = paths[i];
  for (size_t i = 0; i < sel.sources.size(); ++i) {
    sel.sources[i].deb_path = paths[sel.installed.size() + i];
  }
}

namespace {
std::atomic<uint64_t> g_debs_fetched{0};
}  // namespace

DebFiles::DebFiles(PackageSelector& selector, std::string arch, const Selection& sel)
    : selector_(selector), arch_(std::move(arch)) {
  for (const auto* list : {&sel.installed, &sel.sources})
    for (const auto& p : *list) packages_.emplace(p.locked.name, p.locked);
}

void DebFiles::fetch(const std::vector<std::string>& names) {
  std::lock_guard<std::mutex> lock(mu_);
  debian::Archive& archive = selector_.archive({arch_});
  std::vector<debian::LockedPackage> wanted;
  std::set<std::string> seen;
  for (const auto& n : names) {
    auto it = packages_.find(n);
    if (it == packages_.end() || paths_.count(n) || !seen.insert(n).second) continue;
    // One in the download cache is hashed by path() when its job opens it,
    // on that job's thread: hashing them all here, one after another, held
    // every layer back (a JRE .deb alone is 42 MB).
    if (path_exists(archive.cache().blob_path(it->second.sha256))) continue;
    wanted.push_back(it->second);
  }
  if (wanted.empty()) return;
  std::vector<std::string> got = archive.fetch_locked(wanted);
  for (size_t i = 0; i < wanted.size(); ++i) paths_[wanted[i].name] = got[i];
  g_debs_fetched += wanted.size();
}

std::string DebFiles::path(const std::string& name) {
  fetch({name});
  debian::LockedPackage package;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = paths_.find(name); it != paths_.end()) return it->second;
    auto it = packages_.find(name);
    if (it == packages_.end()) throw Error("internal: package " + name + " is not selected");
    package = it->second;
  }
  // In the download cache: verified (and fetched again if corrupt) without
  // the lock, so two jobs hash their .debs side by side.
  std::string got = selector_.archive({arch_}).fetch_locked(package);
  std::lock_guard<std::mutex> lock(mu_);
  if (paths_.emplace(name, got).second) ++g_debs_fetched;
  return got;
}

std::function<std::string()> deb_source(const std::shared_ptr<DebFiles>& debs,
                                        const SelectedPackage& p) {
  if (!debs) return [path = p.deb_path] { return path; };
  return [debs, name = p.locked.name] { return debs->path(name); };
}

uint64_t debs_fetched() {
  return g_debs_fetched.load();
}

std::map<std::string, std::string> package_versions(const Selection& sel) {
  std::map<std::string, std::string> out;
  for (const auto& p : sel.installed) out[p.locked.name] = p.locked.version;
  for (const auto& p : sel.sources) out[p.locked.name] = p.locked.version;
  return out;
}

}  // namespace distill
