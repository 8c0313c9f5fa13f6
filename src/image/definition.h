// Image definitions: the YAML users write and the family in images/ uses.
// Loading is strict: an unknown key or a bad value is an error naming the
// file and line, because a silently ignored key is a wrong image.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "image/release.h"

namespace distill {

struct FileSpec {
  std::string dest;                    // absolute path in the image
  std::optional<std::string> src;      // host path (made absolute against the declaring file)
  std::optional<std::string> content;  // inline content
  std::optional<uint32_t> mode;        // default: 0755 if src is executable, else 0644
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string where;  // "file.yaml:12" for messages
};

struct DirectorySpec {
  std::string path;
  uint32_t mode = 0755;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string where;
};

struct SymlinkSpec {
  std::string path;
  std::string target;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string where;
};

struct PackageSpec {
  std::string name;
  std::optional<bool> resolve;  // unset: the definition's default
  // Written into this package's own layer (the reference merges the JRE
  // and /usr/bin/java into one layer).
  std::vector<SymlinkSpec> symlinks;
  std::string where;
};

// Files taken from a package that is not installed (libc-bin's C.utf8
// locale in the java images): one layer with the matching members.
struct ExtractSpec {
  std::string package;
  std::vector<std::string> paths;  // globs on "/path"; a match takes its subtree too
  bool status = true;              // add status.d records so scanners see the origin
  std::string where;
};

// A value set from the version of something in the image: an environment
// variable (config.version-env) or a manifest annotation
// (config.version-annotations), from a package or an upstream: item.
struct VersionEnvSpec {
  std::string name;     // variable or annotation key
  std::string package;  // a package in the image (or else upstream)
  std::string cut_at;   // cut before the first occurrence; "" = upstream version
  std::string where;
  std::string upstream;  // the upstream: item (upstream_name) whose version it is
};

struct UserSpec {
  std::string name;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string gecos;  // default: name
  std::string home;   // default: /home/<name>
  std::string shell = "/sbin/nologin";
  std::optional<uint32_t> home_mode;  // create home with this mode (owned by uid:gid)
  std::string where;
};

struct GroupSpec {
  std::string name;
  uint32_t gid = 0;
  std::vector<std::string> members;
  std::string where;
};

// upstream: one runtime that is not a Debian package, as a layer (part
// "upstream", image/upstream.h): a tarball from `url` with a required
// sha256 or integrity, or the npm package `npm` ("NAME@VERSION", from the
// host's npm registry, checked against its dist.integrity). An item with
// `architectures` is only for those; items that share a `name` are one
// runtime built from a different source per architecture.
struct UpstreamSpec {
  std::string name;  // what version-env/-annotations name; "" = upstream_name()
  std::string url;
  std::string npm;                         // NAME@VERSION; VERSION may be "22", "22.x", "22.1.x"
  std::string version;                     // url items: the version they are (npm items resolve it)
  std::vector<std::string> architectures;  // dpkg names; empty = every architecture
  std::string sha256;                      // hex
  std::string integrity;                   // "sha512-BASE64" (or sha256-), as npm writes it
  std::vector<std::string> include;        // globs on "/path" after strip; empty = all
  std::string strip;                       // leading directory removed, e.g. "package"
  std::string dest = "/";                  // directory the paths land in
  std::string where;
};

// app: a host file or a whole directory copied into the image, one layer
// per item on top of everything else (part "app", image/app_layer.h), so
// the layers below stay the base image's. `distill build --app PATH[:DEST]`
// fills the same list. src and dest may use ${ARCH} and ${TRIPLET}.
struct AppSpec {
  std::string src;   // host path (absolute: made so against the declaring file, or the cwd)
  std::string dest;  // absolute path in the image; default /app/<last name of src>
  // Regular files' mode; default 0755 if the host file has any x bit, else 0644.
  std::optional<uint32_t> mode;
  uint32_t dir_mode = 0755;  // directories (dir-mode:)
  uint32_t uid = 0;          // owner of every entry of the item (not of /app itself
  uint32_t gid = 0;          // unless dest is /app)
  std::string where;         // "app.yaml:7", or "--app build/server"
};

struct RepositorySpec {
  std::string uri;
  std::vector<std::string> suites;
  std::vector<std::string> components;
  std::string keyring;  // path; resolved against the definition's dir
  std::string where;
};

struct ImageConfigSpec {
  std::optional<std::vector<std::string>> env;  // "K=V", in order; merged by key on inheritance
  std::optional<std::string> user;
  std::optional<std::string> workdir;
  std::optional<std::vector<std::string>> entrypoint;
  std::optional<std::vector<std::string>> cmd;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<std::string> exposed_ports;  // "8080/tcp"
  std::vector<std::string> volumes;
  std::optional<std::string> stop_signal;
  std::optional<std::string> created;       // RFC 3339; absent: the epoch (image/config.h)
  std::vector<VersionEnvSpec> version_env;  // resolved at build time, after `env`
  // Manifest annotations set at build time from a version (the reference's
  // com.google.distroless.*.version), over `annotations`.
  std::vector<VersionEnvSpec> version_annotations;
  // "FILE:LINE" that set user, workdir, entrypoint and cmd (the build-time
  // checks' messages point there); a variant's line for what it sets.
  std::map<std::string, std::string> where;
};

// What NAME:VARIANT changes (images/common/family.yaml declares the family's:
// latest, nonroot, debug, debug-nonroot; a definition may add its own or
// change one). Applied after inheritance, by apply_variant (image/variant.h).
struct VariantSpec {
  std::vector<std::string> include;  // variants applied first, in this order
  std::optional<std::string> user;
  std::optional<std::string> workdir;
  std::vector<PackageSpec> packages;   // added to packages: (same name replaces)
  std::vector<FileSpec> files;         // added to files: (same dest replaces)
  std::optional<std::string> busybox;  // busybox directory: adds the busybox layer
  // The entrypoint when the image has none (the language images keep theirs).
  std::optional<std::vector<std::string>> entrypoint_if_unset;
  std::optional<std::string> path_append;  // appended to PATH (the default PATH if unset)
  std::string where;
};

// One limit of budget: and the FILE:LINE that set it.
struct BudgetLimit {
  uint64_t value = 0;
  std::string where;
};

// budget: what `distill build` enforces on each image it built (inspect's
// --max-size, --max-layers, --max-wasted gates; inspect/gates.h). Keys a
// child sets replace the parent's.
struct BudgetSpec {
  std::optional<BudgetLimit> max_size;    // uncompressed bytes of all layers
  std::optional<BudgetLimit> max_layers;  // layer count
  std::optional<BudgetLimit> max_wasted;  // bytes hidden by later layers
};

struct Definition {
  std::string path;  // the file it came from ("" for built-ins)
  std::string dir;   // base for relative paths
  std::string name;
  std::string description;
  std::string from;  // parent definition (name in images/ or a path)
  // Every file load_definition read: the from: chain, the family rules and
  // the release, absolute and sorted (for provenance). Set on the result
  // only, not merged.
  std::vector<std::string> source_files;

  std::vector<FileSpec> files;
  std::vector<DirectorySpec> directories;
  std::vector<SymlinkSpec> symlinks;

  std::vector<PackageSpec> packages;
  bool resolve = true;                        // dependency resolution default
  std::vector<std::string> exclude_packages;  // never installed
  std::vector<std::string> exclude_paths;     // globs dropped from package data
  std::vector<std::string> allow_setuid;      // globs of package files that may be setuid/setgid
  std::vector<RepositorySpec> repositories;
  std::string mirror;
  std::string security_mirror;             // security-mirror:
  std::string snapshot;                    // snapshot: TIMESTAMP
  std::vector<std::string> architectures;  // dpkg names; empty = host's
  // What the reference publishes this image for (published-architectures:):
  // what `--arch all` builds and `distill images` lists; empty = the release's.
  std::vector<std::string> published_architectures;
  // release: NAME (images/releases/NAME.yaml), inherited through `from:`.
  // load_definition resolves it into release_spec and applies it.
  std::string release;
  std::string release_where;
  std::optional<Release> release_spec;
  // suites: only these suites of the repositories are read (empty: all).
  std::vector<std::string> suites;
  std::string suites_where;
  // merged-usr: Debian 13's layout (image/merged_usr.h): package paths under
  // /bin, /sbin, /lib... move into /usr and no layer may shadow the links.
  // Unset means the release's (else off).
  std::optional<bool> merged_usr;
  // ld-so-cache: /etc/ld.so.cache generated from the image's own libraries
  // and ld.so.conf files (part "ld-so-cache"). Unset means off.
  std::optional<bool> ld_so_cache;
  std::string ld_so_cache_where;  // "file.yaml:12" of the key

  std::vector<UserSpec> users;
  std::vector<GroupSpec> groups;
  // key -> value, in file order (written quoted, in this order). An empty
  // value (`KEY: ~`) holds the key's place for the release's value.
  std::vector<std::pair<std::string, std::string>> os_release;
  std::optional<std::string> ca_bundle;      // destination path of the PEM bundle
  std::optional<std::string> busybox;        // directory for busybox applets (debug)
  std::optional<std::string> java_keystore;  // JKS built from the CA bundle
  std::optional<std::string> java_keystore_password;
  std::vector<ExtractSpec> extracts;
  std::vector<UpstreamSpec> upstreams;  // upstream:
  std::vector<AppSpec> apps;            // app: (part "app", the top layers)
  // "file.yaml:12" where ca-bundle, java-keystore, busybox and os-release
  // were set, through from: chains (for --explain): the last file that set
  // the key, but for os-release the first (the one that gives its order).
  std::map<std::string, std::string> key_where;

  // The family's rules (images/common/family.yaml, inherited by every
  // definition): the packages the part layers read, the busybox applet
  // list, the order of part layers and the variants.
  std::optional<std::string> ca_package;       // ca-bundle.package
  std::optional<std::string> busybox_package;  // busybox.package
  std::optional<std::string> busybox_applets;  // busybox.applets: host path of the list
  std::vector<std::string> parts;              // layer kinds in image order
  std::string parts_where;
  std::map<std::string, VariantSpec> variants;  // `debug: packages:` adds to variants["debug"]

  ImageConfigSpec config;
  BudgetSpec budget;
  // checks: {user: false, entrypoint: false, workdir: false} turns off a
  // build-time check of the built image (cli/build_checks.h); absent = on.
  std::map<std::string, bool> checks;
};

// Loads one file (no inheritance). Throws Error "FILE:LINE: message".
Definition load_definition_file(const std::string& path);

// Folds `child` over `parent` (inheritance through `from:`): lists extend,
// an item with the same key (path, name...) replaces the parent's; scalars
// and config fields the child sets win.
Definition merge_definitions(Definition parent, const Definition& child);

// Loads `name_or_path` and folds in its `from:` chain, then applies its
// release (apply_release). A bare name is looked up in `search_dirs` as
// NAME.yaml, else as NAME-RELEASE.yaml of the newest release that has one
// (resolve_image_name). The root of the chain inherits the
// family rules, the first common/family.yaml in `search_dirs` (none found:
// no rules, and building a part that needs one is an error).
Definition load_definition(const std::string& name_or_path,
                           const std::vector<std::string>& search_dirs);

// Gives `d` its release `r`: os-release keys the chain left empty take the
// release's value in place, keys it lacks are appended (a value the chain
// set wins); merged_usr takes the release's if the chain did not set it;
// published architectures must be ones the release has (Error otherwise).
void apply_release(Definition& d, const Release& r);

// The file a bare image name means: NAME.yaml in `search_dirs` if one
// exists, else NAME-RELEASE.yaml for the newest release (list_releases)
// that has it ("" if neither exists).
std::string resolve_image_name(const std::string& name,
                               const std::vector<std::string>& search_dirs);

// The architectures a build or lock of `def` is for: `requested` (--arch)
// if given, where "all" means the published architectures (else the
// release's); else the definition's architectures:, else the host's.
// Throws Error when "all" has nothing to mean.
std::vector<std::string> build_architectures(const Definition& def,
                                             const std::vector<std::string>& requested);

// The family rules file in `search_dirs` ("" if none has one).
std::string find_family_rules(const std::vector<std::string>& search_dirs);

// Directories searched for family definitions, first match wins:
// $DISTILL_IMAGES, <program dir>/images (the build tree's link to images/),
// <program dir>/../share/distill/images (an install), then
// /usr/local/share/distill/images and /usr/share/distill/images.
std::vector<std::string> default_image_dirs();

// Parses an octal mode given as "0755", "755" or an integer written in octal.
uint32_t parse_mode(const std::string& text, const std::string& where);

}  // namespace distill
