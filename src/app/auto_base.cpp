#include "app/auto_base.h"

#include <fcntl.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "app/contents_index.h"
#include "app/package_map.h"
#include "elf/elf_closure.h"
#include "image/definition.h"
#include "image/parts.h"
#include "image/release.h"
#include "image/selection.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/io.h"
#include "util/read_at.h"
#include "util/strings.h"

namespace distill::app {

namespace {

// The family's ladder, smallest first: each member adds to the one before.
const char* const kFamilyLadder[] = {"static", "base-nossl", "base", "cc"};

struct FamilyMember {
  std::string name;
  std::unique_ptr<Definition> def;
  std::set<std::string> packages;
};

bool has_prefix_in(const std::string& s, std::initializer_list<const char*> prefixes) {
  for (const char* p : prefixes)
    if (s.rfind(p, 0) == 0) return true;
  return false;
}

// Symbols whose use makes glibc dlopen libgcc_s.so.1 (cancellation and
// unwinding), or that only a C++ or unwinding runtime imports.
bool needs_libgcc_s(const std::string& sym) {
  return sym == "pthread_cancel" || sym == "pthread_exit" || sym == "backtrace" ||
         has_prefix_in(sym, {"_Unwind_", "__cxa_throw", "__gxx_personality"});
}

// The NSS database (nsswitch.conf's left column) a libc function reads, or
// nullptr: its services are loaded only when the program asks that database.
const char* nss_database(const std::string& sym) {
  static const std::pair<const char*, const char*> kDatabases[] = {
      {"getpw", "passwd"},      {"getgr", "group"},        {"initgroups", "group"},
      {"getspnam", "shadow"},   {"getaddrinfo", "hosts"},  {"gethostby", "hosts"},
      {"getnameinfo", "hosts"}, {"getservby", "services"}, {"getprotoby", "protocols"},
      {"getnetby", "networks"}, {"getrpcby", "rpc"},       {"getnetgrent", "netgroup"}};
  for (const auto& [prefix, db] : kDatabases)
    if (sym.rfind(prefix, 0) == 0) return db;
  return nullptr;
}

// nsswitch.conf as database -> services, in order ("[NOTFOUND=return]"
// actions dropped); whitespace of any kind separates words.
std::map<std::string, std::vector<std::string>> nsswitch_services(const std::string& text) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& line : split(text, '\n')) {
    std::string l = line.substr(0, line.find('#'));
    std::replace(l.begin(), l.end(), '\t', ' ');
    size_t colon = l.find(':');
    if (colon == std::string::npos) continue;
    std::vector<std::string>& services = out[std::string(trim(l.substr(0, colon)))];
    for (const auto& w : split(l.substr(colon + 1), ' ')) {
      std::string word(trim(w));
      if (!word.empty() && word[0] != '[') services.push_back(word);
    }
  }
  return out;
}

// The Debian policy name of the package shipping `soname` (libfoo.so.1 ->
// libfoo1, libfoo2.so.0 -> libfoo2-0): where Contents has no entry (a
// security suite publishes none), that package's .deb is listed instead.
std::string policy_package_name(const std::string& soname) {
  size_t so = soname.find(".so");
  if (so == std::string::npos) return "";
  std::string stem = lower(soname.substr(0, so));
  std::string ver = so + 4 <= soname.size() ? soname.substr(so + 4) : "";
  if (ver.empty()) return stem;
  std::replace(stem.begin(), stem.end(), '_', '-');
  bool digit = !stem.empty() && std::isdigit(static_cast<unsigned char>(stem.back()));
  return stem + (digit ? "-" : "") + ver.substr(0, ver.find('.'));
}

// A library the program loads without naming it in DT_NEEDED. An optional
// one (an NSS service on a line with one glibc builds in) is left out when
// no package of the release has it: glibc then skips the service.
struct ImplicitNeed {
  std::string soname;
  std::string why;
  bool optional = false;
};

class Analysis {
 public:
  explicit Analysis(const AutoBaseRequest& req) : req_(req) {}
  AutoBaseChoice run();

 private:
  void load_family();
  std::vector<std::string> add_app_files();
  elf::Closure resolve(const std::vector<std::string>& roots);
  bool find_package_for(const std::string& soname, const std::string& needed_by);
  bool add_package(const std::string& name, const std::string& reason);
  std::vector<ImplicitNeed> implicit_needs(const elf::Closure& c);
  std::vector<std::pair<std::string, std::string>> gconv_needs(const elf::Closure& c);
  [[noreturn]] void version_error(const elf::Closure& c);
  std::string version_of(const std::string& package);
  std::string version_in_release(const std::string& release, const std::string& package);
  AutoBaseChoice choose(const elf::Closure& c);

  const AutoBaseRequest& req_;
  std::vector<std::string> dirs_;
  std::string release_;
  elf::CacheArch arch_{};
  std::vector<FamilyMember> members_;
  std::unique_ptr<PackageSelector> selector_;  // of the largest member: its archive
  std::optional<LoadedContents> contents_;
  PackageRoot root_;
  std::map<std::string, std::string> reason_;  // package -> why it is needed
  std::vector<std::string> implicit_paths_;    // libraries the rules add as roots
  std::set<std::string> skipped_;              // optional needs no package meets, for --explain
};

void Analysis::load_family() {
  dirs_ = req_.image_dirs.empty() ? default_image_dirs() : req_.image_dirs;
  release_ = req_.release;
  if (release_.empty()) {
    auto releases = list_releases(dirs_);
    if (releases.empty()) throw Error("no Debian release definitions (images/releases/)");
    release_ = releases.front().name;
  }
  for (const char* base : kFamilyLadder) {
    std::string name = std::string(base) + "-" + release_;
    if (resolve_image_name(name, dirs_).empty()) continue;
    FamilyMember m{name, std::make_unique<Definition>(load_definition(name, dirs_)), {}};
    members_.push_back(std::move(m));
  }
  if (members_.empty())
    throw Error(ErrorKind::kNotFound, "no family image for release '" + release_ + "' (static-" +
                                          release_ + ".yaml and the others)");
  for (size_t i = 0; i < members_.size(); ++i) {
    auto sel = std::make_unique<PackageSelector>(*members_[i].def, req_.source);
    Selection s = sel->select(req_.arch, part_sources(*members_[i].def));
    for (const auto& p : s.installed) members_[i].packages.insert(p.locked.name);
    if (i + 1 < members_.size()) continue;
    // The largest member's files are the root every member's closure is in.
    fetch_selection(sel->archive({req_.arch}), s);
    for (const auto& p : s.installed) root_.add_deb(p.locked.name, p.deb_path);
    for (const auto& f : members_[i].def->files) {
      if (f.content)
        root_.add_content(f.dest, *f.content);
      else if (f.src && path_exists(*f.src))
        root_.add_content(f.dest, read_file(*f.src));
    }
    selector_ = std::move(sel);
  }
}

std::vector<std::string> Analysis::add_app_files() {
  std::vector<std::string> roots;
  std::string not_elf, script;
  for (const auto& f : req_.files) {
    Fd fd(::open(f.host_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw_errno("cannot open", f.host_path);
    std::string head = read_at(fd.get(), 0, 4, f.host_path);
    if (elf::has_elf_magic(head)) {
      elf::ElfInfo info = elf::parse_elf_file(f.host_path);
      if (info.elf_class != elf::elf_class_of(arch_) || info.machine != elf::elf_machine_of(arch_))
        throw Error(f.host_path + ": ELF for " + elf::machine_name(info.machine) + " (" +
                    std::to_string(info.elf_class) + "-bit), not " + req_.arch);
      roots.push_back(f.image_path);
    } else if (head.rfind("#!", 0) == 0) {
      if (script.empty()) script = f.host_path;
    } else if (not_elf.empty()) {
      not_elf = f.host_path;
    }
  }
  if (roots.empty() && !not_elf.empty())
    throw Error(not_elf + ": not an ELF file and not a recognised script");
  if (roots.empty() && !script.empty())
    throw Error(script + ": a script, not an ELF program: its interpreter's image serves it");
  if (roots.empty()) throw Error(ErrorKind::kUsage, "no app files to analyse");
  return roots;
}

std::string Analysis::version_of(const std::string& package) {
  const debian::PackageIndex& index = selector_->archive({req_.arch}).index(req_.arch);
  const debian::Package* p = index.candidate(package);
  return p ? p->version : "";
}

bool Analysis::add_package(const std::string& name, const std::string& reason) {
  reason_.emplace(name, reason);
  if (root_.has_package(name)) return false;
  debian::Archive& archive = selector_->archive({req_.arch});
  const debian::Package* p = archive.index(req_.arch).candidate(name);
  if (!p) return false;
  std::vector<std::string> paths = archive.fetch({p});
  root_.add_deb(name, paths.at(0));
  return true;
}

// Looks `soname` up in the release's Contents (a file in a library
// directory), else in the .deb of the package policy names for it; adds
// that package's files to the root. False when no package has it.
bool Analysis::find_package_for(const std::string& soname, const std::string& needed_by) {
  if (!contents_) contents_ = load_contents(selector_->archive({req_.arch}), req_.arch);
  std::string t = elf::multiarch_triplet(arch_);
  std::vector<std::string> dirs = {"/lib/" + t, "/usr/lib/" + t, "/lib", "/usr/lib"};
  auto hits = contents_->index.find(soname);
  std::stable_sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) {
    auto rank = [&](const std::string& path) {
      auto it = std::find(dirs.begin(), dirs.end(), parent_dir(path));
      return static_cast<size_t>(it - dirs.begin());
    };
    return rank(a.first) < rank(b.first);
  });
  for (const auto& [path, pkg] : hits) {
    std::string why = needed_by + " needs " + soname + " (found " + path + " in " + pkg + ")";
    if (add_package(pkg, why)) return true;
  }
  std::string guess = policy_package_name(soname);
  if (!guess.empty() && !root_.has_package(guess) && !version_of(guess).empty()) {
    std::string why = needed_by + " needs " + soname + " (in the file list of " + guess + ")";
    if (add_package(guess, why)) return true;
  }
  return false;
}

elf::Closure Analysis::resolve(const std::vector<std::string>& app_roots) {
  std::string arch_name = req_.arch;
  for (int round = 0; round < 64; ++round) {
    std::vector<std::string> roots = app_roots;
    roots.insert(roots.end(), implicit_paths_.begin(), implicit_paths_.end());
    elf::Closure c = elf::resolve_closure(root_.tree(), roots, arch_, arch_name);
    bool progress = false;
    std::set<std::string> tried;
    for (const auto& m : c.missing)
      if (tried.insert(m.soname).second && find_package_for(m.soname, m.needed_by)) progress = true;
    for (const auto& [soname, why, optional] : implicit_needs(c)) {
      std::string t = elf::multiarch_triplet(arch_);
      std::optional<std::string> found;
      for (const std::string& d :
           {"/lib/" + t, "/usr/lib/" + t, std::string("/lib"), std::string("/usr/lib")})
        if (!found) found = root_.tree().resolve(d + "/" + soname);
      if (!found && find_package_for(soname, why)) {
        progress = true;
        continue;
      }
      if (!found && optional) {
        skipped_.insert(why + ": " + soname + " is in no " + release_ +
                        " package; glibc skips the service");
        continue;
      }
      if (!found) throw Error(why + ": " + soname + ", which no " + release_ + " package provides");
      if (std::find(implicit_paths_.begin(), implicit_paths_.end(), *found) ==
          implicit_paths_.end()) {
        implicit_paths_.push_back(*found);
        std::string owner = root_.owner(*found);
        if (!owner.empty()) reason_.emplace(owner, why + ": " + soname + " (" + owner + ")");
        progress = true;
      }
    }
    if (!progress) return c;
  }
  throw Error(ErrorKind::kInternal, "the library closure did not settle after 64 rounds");
}

// Run-time needs DT_NEEDED does not show, from the app's imports: libgcc_s
// (glibc dlopens it to cancel threads and unwind), and for each NSS
// database the app reads, the services nsswitch.conf names for it that
// glibc does not build in (it builds in files and dns); on a line with a
// built-in service they are optional.
std::vector<ImplicitNeed> Analysis::implicit_needs(const elf::Closure& c) {
  std::vector<ImplicitNeed> out;
  bool have_gcc = false;
  std::string gcc_user;
  std::map<std::string, std::string> databases;  // database -> "/app/x uses getpwnam"
  for (const auto& o : c.objects) {
    if (o.info.soname == "libgcc_s.so.1" || o.soname == "libgcc_s.so.1") have_gcc = true;
    if (!root_.owner(o.canonical).empty()) continue;  // a package's, not the app's
    for (const auto& sym : o.info.imports) {
      if (gcc_user.empty() && needs_libgcc_s(sym)) gcc_user = o.path + " uses " + sym;
      if (const char* db = nss_database(sym)) databases.emplace(db, o.path + " uses " + sym);
    }
  }
  if (!gcc_user.empty() && !have_gcc) out.push_back({"libgcc_s.so.1", gcc_user, false});
  if (databases.empty()) return out;
  auto conf = root_.tree().resolve("/etc/nsswitch.conf");
  auto table = nsswitch_services(conf ? root_.tree().read_all(*conf, 1 << 20) : "");
  for (const auto& [db, user] : databases) {
    const std::vector<std::string>& services = table[db];
    // An unavailable service is skipped (UNAVAIL's default action is to
    // continue), so with a built-in one on the line the others are optional.
    bool built_in = std::count(services.begin(), services.end(), "files") > 0 ||
                    std::count(services.begin(), services.end(), "dns") > 0;
    for (const auto& service : services) {
      if (service == "files" || service == "dns") continue;
      out.push_back({"libnss_" + service + ".so.2",
                     user + " (nsswitch.conf names " + service + " for " + db + ")", built_in});
    }
  }
  return out;
}

// The gconv modules an iconv user loads: which ones depends on the
// character sets it names at run time, so all of them, through the
// package owning gconv-modules (glibc's list of them). Pairs of (package,
// reason).
std::vector<std::pair<std::string, std::string>> Analysis::gconv_needs(const elf::Closure& c) {
  std::string user;
  for (const auto& o : c.objects) {
    if (!root_.owner(o.canonical).empty()) continue;
    for (const auto& sym : o.info.imports)
      if (user.empty() && sym == "iconv_open") user = o.path + " uses " + sym;
  }
  if (user.empty()) return {};
  std::string dir = std::string("/usr/lib/") + elf::multiarch_triplet(arch_) + "/gconv";
  auto found = root_.tree().resolve(dir + "/gconv-modules");
  std::string owner = found ? root_.owner(*found) : "";
  if (owner.empty()) {
    skipped_.insert(user + ": no " + release_ + " package of the family has " + dir +
                    "/gconv-modules; only the conversions glibc builds in work");
    return {};
  }
  return {{owner, user + ": the gconv modules of " + dir + " (found " + dir + "/gconv-modules in " +
                      owner + ")"}};
}

// "2.41" of "2.41-12+deb13u5" (and of "1:2.41-12"): the upstream version.
std::string upstream_version(const std::string& debian_version) {
  std::string v = debian_version.substr(0, debian_version.rfind('-'));
  if (size_t colon = v.find(':'); colon != std::string::npos) v = v.substr(colon + 1);
  return v;
}

// The candidate version of `package` in another release: in the archive of
// that release's largest family member, as this release's is read. "" when
// the release has no family here or its archive cannot be read (the error
// this serves is about the requested release; the others only guide).
std::string Analysis::version_in_release(const std::string& release, const std::string& package) {
  try {
    for (auto it = std::rbegin(kFamilyLadder); it != std::rend(kFamilyLadder); ++it) {
      std::string name = std::string(*it) + "-" + release;
      if (resolve_image_name(name, dirs_).empty()) continue;
      Definition def = load_definition(name, dirs_);
      PackageSelector sel(def, req_.source);
      const debian::Package* p = sel.archive({req_.arch}).index(req_.arch).candidate(package);
      return p ? p->version : "";
    }
  } catch (const Error&) {
  }
  return "";
}

// "PATH needs GLIBC_2.38; debian12 has glibc 2.36, debian13 has 2.41": the
// version the library's package has in this release, then in every other
// release whose family archive can be read, so the user sees where to go.
void Analysis::version_error(const elf::Closure& c) {
  const elf::MissingVersion& m = c.missing_versions.front();
  auto canonical = root_.tree().resolve(m.library);
  std::string owner = canonical ? root_.owner(*canonical) : "";
  bool glibc = m.version.rfind("GLIBC_", 0) == 0 && owner == "libc6";
  auto shown = [&](const std::string& version) {
    return glibc ? upstream_version(version) : version;
  };
  std::string version = owner.empty() ? "" : version_of(owner);
  std::string has =
      glibc ? "glibc " + shown(version) : (owner.empty() ? m.library : owner + " " + version);
  if (!owner.empty()) {
    for (const Release& r : list_releases(dirs_)) {
      if (r.name == release_) continue;
      std::string other = version_in_release(r.name, owner);
      if (!other.empty()) has += ", " + r.name + " has " + shown(other);
    }
  }
  throw Error(m.needed_by + " needs " + m.version + "; " + release_ + " has " + has);
}

AutoBaseChoice Analysis::choose(const elf::Closure& c) {
  std::set<std::string> needed;
  for (const auto& o : c.objects) {
    for (const std::string& p : {o.canonical, o.path}) {
      auto placed = root_.tree().resolve(parent_dir(p));
      std::string owner = root_.owner(p);
      if (owner.empty() && placed)
        owner = root_.owner((*placed == "/" ? "" : *placed) + p.substr(p.rfind('/')));
      if (owner.empty()) continue;
      needed.insert(owner);
      reason_.emplace(owner, (o.needed_by.empty() ? o.path : o.needed_by) + " needs " + o.soname +
                                 " (found " + o.path + " in " + owner + ")");
    }
  }
  std::vector<std::pair<std::string, std::string>> gconv = gconv_needs(c);
  for (const auto& [owner, why] : gconv) {
    needed.insert(owner);
    reason_.emplace(owner, why);
  }
  const FamilyMember* best = nullptr;
  std::vector<std::string> best_extra;
  for (const auto& m : members_) {
    std::vector<std::string> extra;
    for (const auto& n : needed)
      if (!m.packages.count(n)) extra.push_back(n);
    if (!best || extra.size() < best_extra.size()) {
      best = &m;
      best_extra = extra;
    }
  }
  AutoBaseChoice out;
  out.base = best->name;
  out.packages.assign(needed.begin(), needed.end());
  for (const auto& n : best_extra) out.extras.push_back({n, version_of(n), reason_[n]});
  for (const auto& o : c.objects) out.closure.push_back(o.path);
  std::sort(out.closure.begin(), out.closure.end());
  out.closure.erase(std::unique(out.closure.begin(), out.closure.end()), out.closure.end());
  for (const auto& n : needed)
    out.reasons.push_back(reason_[n] +
                          (best->packages.count(n) ? "; in " + best->name : "; added"));
  for (const auto& [owner, why] : gconv)
    if (reason_[owner] != why)
      out.reasons.push_back(why + (best->packages.count(owner) ? "; in " + best->name : "; added"));
  out.reasons.insert(out.reasons.end(), skipped_.begin(), skipped_.end());
  return out;
}

AutoBaseChoice Analysis::run() {
  auto arch = elf::cache_arch_from_debian(req_.arch);
  if (!arch) throw Error(ErrorKind::kUsage, "architecture '" + req_.arch + "' is not supported");
  arch_ = *arch;
  // The app's files first: a file that is no ELF fails before any download.
  std::vector<std::string> roots = add_app_files();
  load_family();
  for (const auto& f : req_.files) root_.add_host_file(f.host_path, f.image_path);
  elf::Closure c = resolve(roots);
  if (!c.missing.empty())
    throw Error(c.missing.front().needed_by + " needs " + c.missing.front().soname + ", which no " +
                release_ + " package provides");
  if (!c.missing_versions.empty()) version_error(c);
  return choose(c);
}

}  // namespace

AutoBaseChoice choose_base(const AutoBaseRequest& request) {
  return Analysis(request).run();
}

}  // namespace distill::app
