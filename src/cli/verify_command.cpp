#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <nlohmann/json.hpp>

#include "archive/compress.h"
#include "cli/commands.h"
#include "cli/limit_flags.h"
#include "cli/registry_flags.h"
#include "cli/source_flags.h"
#include "image/arch.h"
#include "image/builder.h"
#include "image/definition.h"
#include "image/variant.h"
#include "inspect/open_image.h"
#include "sbom/image_source.h"
#include "sbom/package_db.h"
#include "sbom/rebuild_diff.h"
#include "sbom/verify.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace distill::cli {

namespace {

struct VerifyArgs {
  std::string reference;
  std::string platform;
  std::string rebuild;  // --rebuild DEFINITION, "" = md5sums mode
  std::string lock;     // --lock LOCK (with --rebuild)
  std::string epoch;    // --source-date-epoch, "" = $SOURCE_DATE_EPOCH, else the config's created
  SourceFlags source;
  bool json = false;
  LimitFlags limits;
  RegistryFlags registry;
};

nlohmann::json report_json(const sbom::ImageFiles& image, const sbom::VerifyReport& r) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : r.findings) {
    nlohmann::json j = {
        {"kind", sbom::kind_name(f.kind)}, {"path", f.path}, {"package", f.package}};
    if (!f.detail.empty()) j["detail"] = f.detail;
    findings.push_back(j);
  }
  nlohmann::json not_installed = nlohmann::json::object();
  for (const auto& [name, n] : r.not_installed) not_installed[name] = n;
  nlohmann::json customized = nlohmann::json::array();
  for (const auto& f : r.customized)
    customized.push_back({{"path", f.path}, {"package", f.package}});
  return {{"reference", image.reference},
          {"digest", image.digest},
          {"packages_verified", r.packages},
          {"files_verified", r.files},
          {"packages_unverified", r.unverified},
          {"not_installed", not_installed},
          {"customized", customized},
          {"findings", findings}};
}

int64_t parse_epoch(const std::string& text) {
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end || v < 0)
    throw Error("--source-date-epoch / SOURCE_DATE_EPOCH must be a non-negative integer, not '" +
                text + "'");
  return v;
}

// The build settings the image shows: its config's created time (distill
// writes SOURCE_DATE_EPOCH there) and its layers' compression.
BuildOptions rebuild_options(const VerifyArgs& a, const oci::Image& image,
                             const std::string& work_dir) {
  BuildOptions o;
  o.work_dir = work_dir;
  o.architectures = {debian_arch_for_platform(image.platform())};
  o.source = source_options(a.source);
  o.source.lock_file = a.lock;
  o.layers.limits = parse_limit_flags(a.limits);
  auto config = nlohmann::json::parse(image.raw_config(), nullptr, false);
  if (!a.epoch.empty()) {
    o.layers.mtime = parse_epoch(a.epoch);
  } else if (const char* env = std::getenv("SOURCE_DATE_EPOCH"); env && *env) {
    o.layers.mtime = parse_epoch(env);
  } else if (config.is_object() && config.contains("created") && config["created"].is_string()) {
    std::tm tm{};
    std::string created = config["created"].get<std::string>();
    if (strptime(created.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) o.layers.mtime = timegm(&tm);
  }
  auto layers = image.layers();
  if (!layers.empty()) {
    const std::string& mt = layers[0]->descriptor().media_type;
    o.layers.blob.compression = mt.ends_with("zstd")  ? Compression::kZstd
                                : mt.ends_with("tar") ? Compression::kNone
                                                      : Compression::kGzip;
  }
  return o;
}

// verify --rebuild: build DEFINITION from LOCK for the image's platform and
// compare; the first differing layer and member are the finding.
void run_rebuild(const VerifyArgs& a) {
  if (a.lock.empty())
    throw Error("--rebuild needs --lock LOCK: the packages the image was built from");
  inspect::Target target =
      inspect::open_target(a.reference, a.platform, registry_options(a.registry, ""));
  VariantName vn = split_variant(a.rebuild);
  Definition def = load_definition(vn.base, default_image_dirs());
  apply_variant(def, vn.variant);
  TempDir work("", "distill-rebuild");
  BuildOptions opts = rebuild_options(a, *target.image, work.path());
  std::vector<BuiltImage> built = build_images(def, opts, work.path(), nullptr);
  const oci::Image& rebuilt = *built.at(0).image;
  sbom::RebuildDiff d = sbom::compare_rebuild(*target.image, rebuilt, opts.layers.limits);
  std::string digests = target.image->digest() + (d.identical ? " == " : " != ") + rebuilt.digest();
  if (d.identical) {
    log_info(a.reference + ": the rebuild of " + a.rebuild + " from " + a.lock + " is identical (" +
             target.image->digest() + ")");
    return;
  }
  if (d.layer < 0) {
    std::printf("%s\n", d.what.c_str());
  } else {
    std::string line = "layer " + std::to_string(d.layer) + " (" +
                       (d.layer_digest.empty() ? "absent" : d.layer_digest) +
                       " != " + (d.rebuilt_digest.empty() ? "absent" : d.rebuilt_digest) + ")";
    if (static_cast<size_t>(d.layer) < built[0].layer_names.size())
      line += ", " + built[0].layer_names[static_cast<size_t>(d.layer)];
    std::printf("%s\n", line.c_str());
    if (!d.path.empty()) {
      std::printf("file %s: %s\n", d.path.c_str(), d.detail.c_str());
    } else {
      std::printf("%s\n", d.detail.c_str());
    }
  }
  std::fflush(stdout);
  throw Error(a.reference + ": the rebuild of " + a.rebuild + " differs (" + digests + ")");
}

void run_verify(const VerifyArgs& a) {
  if (!a.rebuild.empty()) return run_rebuild(a);
  sbom::ReadOptions options;
  options.platform = a.platform;
  options.md5 = true;
  options.limits = parse_limit_flags(a.limits);
  options.registry = registry_options(a.registry, "");
  sbom::ImageFiles image = sbom::read_image(a.reference, options);
  sbom::PackageDb db = sbom::read_packages(image.fs);
  if (!db.problems.empty()) throw Error(db.problems.front());
  if (db.packages.empty())
    throw Error(a.reference +
                " has no dpkg database (/var/lib/dpkg/status.d/ or status): "
                "nothing to verify against");
  sbom::VerifyReport r = sbom::verify_files(image.fs, db, image.removed);
  if (a.json) {
    std::printf("%s\n", report_json(image, r).dump(2).c_str());
  } else {
    for (const auto& f : r.findings) std::printf("%s\n", sbom::finding_line(f).c_str());
  }
  for (const auto& name : r.unverified) log_warn("package " + name + " has no md5sums record");
  for (const auto& [name, n] : r.not_installed)
    log_info("package " + name + ": " + std::to_string(n) +
             " listed files were never in the image (not installed, not a finding)");
  for (const auto& f : r.customized)
    log_info(f.path + " (package " + f.package + ") is the image's own os-release");
  std::fflush(stdout);
  if (!r.findings.empty()) {
    throw Error(a.reference + ": " + std::to_string(r.findings.size()) + " of " +
                std::to_string(r.files) + " package files differ from their md5sums records");
  }
  log_info("verified " + std::to_string(r.files) + " files of " + std::to_string(r.packages) +
           " packages: no differences");
}

}  // namespace

void add_verify_command(CLI::App& app) {
  auto a = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Check an image's files against its Debian packages' md5sums records, like dpkg --verify:\n"
      "prints one line per modified, missing (deleted or whited out) or unowned file (a\n"
      "regular file no package lists, in a directory of package files), and exits 1 if there\n"
      "is any. Reads status.d/NAME.md5sums (distroless) or /var/lib/dpkg/info/*.md5sums.");
  cmd->add_option("reference", a->reference, "Image reference (see IMAGE REFERENCES)")->required();
  cmd->add_option("--platform", a->platform, "Platform to pick from an index, e.g. linux/arm64");
  cmd->add_option("--rebuild", a->rebuild,
                  "Instead: rebuild this definition from --lock for the image's platform (with "
                  "the image's created time and compression) and compare; on a difference print "
                  "the first differing layer and the first differing file in it, and exit 1");
  cmd->add_option("--lock", a->lock, "The lockfile the image was built from (with --rebuild)");
  cmd->add_option("--source-date-epoch", a->epoch,
                  "With --rebuild: the epoch the image was built with (default: "
                  "$SOURCE_DATE_EPOCH, else the config's created time, else 0)");
  cmd->add_flag("--offline", a->source.offline,
                "With --rebuild: never use the network; fail if the cache lacks a package");
  add_registry_flags(cmd, a->registry, RegistryFlagSet::kRead);
  cmd->add_flag("--json", a->json,
                "Print {reference, digest, packages_verified, files_verified, "
                "packages_unverified, not_installed: {package: files}, customized: [{path, "
                "package}], findings: [{kind, path, package, detail?}]}");
  add_limit_flags(cmd, a->limits, true);
  cmd->footer(
      help_footer("  distill verify out/base\n"
                  "  distill verify docker://127.0.0.1:5000/app:1.0 --json\n"
                  "  distill verify out/base --rebuild base --lock base.lock"));
  cmd->callback([a] { run_verify(*a); });
}

}  // namespace distill::cli
