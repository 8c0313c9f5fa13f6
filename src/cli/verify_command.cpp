#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/limit_flags.h"
#include "cli/registry_flags.h"
#include "sbom/image_source.h"
#include "sbom/package_db.h"
#include "sbom/verify.h"
#include "util/error.h"
#include "util/log.h"

namespace distill::cli {

namespace {

struct VerifyArgs {
  std::string reference;
  std::string platform;
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

void run_verify(const VerifyArgs& a) {
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
  add_registry_flags(cmd, a->registry, RegistryFlagSet::kRead);
  cmd->add_flag("--json", a->json,
                "Print {reference, digest, packages_verified, files_verified, "
                "packages_unverified, not_installed: {package: files}, customized: [{path, "
                "package}], findings: [{kind, path, package, detail?}]}");
  add_limit_flags(cmd, a->limits, true);
  cmd->footer(
      help_footer("  distill verify out/base\n"
                  "  distill verify docker://127.0.0.1:5000/app:1.0 --json"));
  cmd->callback([a] { run_verify(*a); });
}

}  // namespace distill::cli
