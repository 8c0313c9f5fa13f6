#include <cstdio>
#include <optional>
#include <set>

#include "cli/commands.h"
#include "cli/flag_checks.h"
#include "cli/source_flags.h"
#include "debian/lockfile.h"
#include "image/arch.h"
#include "image/build_options.h"
#include "image/definition.h"
#include "image/lock.h"
#include "image/variant.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/strings.h"

namespace distill::cli {

namespace {

struct LockArgs {
  std::string definition;
  std::string output = "distill.lock";
  std::string arch;
  bool update = false;
  SourceFlags source;
};

// `lock --update`: per architecture, what changed ("amd64: libssl3 3.0.1-1
// -> 3.0.2-1", "arm64: no changes", "armhf: dropped").
void print_arch_changes(const debian::Lockfile& old_lock, const debian::Lockfile& lock) {
  std::set<std::string> arches;
  for (const auto& [arch, pkgs] : old_lock.packages) arches.insert(arch);
  for (const auto& [arch, pkgs] : lock.packages) arches.insert(arch);
  for (const auto& arch : arches) {
    auto before = old_lock.packages.find(arch), after = lock.packages.find(arch);
    if (after == lock.packages.end()) {
      std::printf("%s: dropped (not in --arch)\n", arch.c_str());
      continue;
    }
    if (before == old_lock.packages.end()) {
      std::printf("%s: added (%zu packages)\n", arch.c_str(), after->second.size());
      continue;
    }
    debian::Lockfile o, n;
    o.packages[arch] = before->second;
    n.packages[arch] = after->second;
    auto changes = debian::diff_lockfiles(o, n);
    if (changes.empty()) std::printf("%s: no changes\n", arch.c_str());
    for (const auto& c : changes) std::printf("%s: %s\n", arch.c_str(), c.c_str());
  }
}

void run_lock(const LockArgs& a) {
  VariantName vn = split_variant(a.definition);
  Definition def = load_definition(vn.base, default_image_dirs());
  apply_variant(def, vn.variant);
  SourceOptions o = source_options(a.source);
  std::vector<std::string> requested = split_list(a.arch);
  std::optional<debian::Lockfile> old;
  if (a.update) {
    if (!path_exists(a.output))
      throw Error(a.output + " does not exist; run `distill lock` without --update first");
    old = debian::read_lockfile(a.output);
    // --update re-resolves what the lock has; --arch changes that on purpose.
    if (requested.empty()) {
      for (const auto& [arch, pkgs] : old->packages) requested.push_back(arch);
    }
  }
  std::vector<std::string> arches = build_architectures(def, requested);
  debian::Lockfile lock = lock_definition(def, o, arches);
  if (old) print_arch_changes(*old, lock);
  debian::write_lockfile(lock, a.output);
  size_t n = 0;
  for (const auto& [arch, pkgs] : lock.packages) n += pkgs.size();
  log_info("locked " + std::to_string(n) + " packages for " + std::to_string(lock.packages.size()) +
           " architecture(s) in " + a.output);
}

}  // namespace

void add_lock_command(CLI::App& app) {
  auto a = std::make_shared<LockArgs>();
  CLI::App* cmd = app.add_subcommand(
      "lock",
      "Resolve a definition's packages against the (signature-verified) archive and pin\n"
      "them: name, version, architecture, suite, pool path, size and SHA-256 per package,\n"
      "plus the InRelease each came from. `distill build --lock FILE` installs exactly that.");
  cmd->add_option("definition", a->definition, "Family image name or path to a .yaml definition")
      ->required();
  cmd->add_option("-o,--output", a->output, "Lockfile to write (default distill.lock)");
  cmd->add_option(
      "--arch", a->arch,
      "Debian architectures, comma separated, or all (the image's published ones); default: "
      "with --update the lock's, else the definition's, else the host's");
  cmd->add_flag("--update", a->update,
                "Re-resolve every architecture the lock has and print what changed in each "
                "(ARCH: package old -> new)");
  add_source_flags(cmd, a->source, "Use only cached indices",
                   "Network timeout in seconds: a mirror that does not connect, or sends "
                   "nothing, for this long fails the transfer (after 3 retries). Default 15 s "
                   "to connect, 30 s stalled");
  cmd->footer(
      help_footer("  distill lock base --arch amd64,arm64 -o base.lock\n"
                  "  distill build base --lock base.lock --offline -o out/base\n"
                  "  distill lock base -o base.lock --update"));
  cmd->callback([a] { run_lock(*a); });
}

}  // namespace distill::cli
