// distill deps PATH|REF: what a program needs from an image, without
// building one. For a program on the host: its library closure, the family
// base it would get and the exact packages added on top, with reasons. For
// an image (any transport): every ELF file whose needs the image does not
// meet (missing libraries, symbol versions, interpreters).
#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/auto_base.h"
#include "cli/commands.h"
#include "cli/read_flags.h"
#include "cli/source_flags.h"
#include "elf/elf_closure.h"
#include "elf/elf_reader.h"
#include "image/arch.h"
#include "inspect/elf_needs.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/io.h"
#include "util/read_at.h"

namespace distill::cli {

namespace {

struct DepsArgs {
  ReadArgs read;
  SourceFlags source;
  std::string release;
  std::string arch;
  bool json = false;
};

// A host file that is a program (ELF or #! script), not an image archive.
bool is_host_program(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  std::string head = read_at(fd.get(), 0, 4, path);
  if (elf::has_elf_magic(head) || head.rfind("#!", 0) == 0) return true;
  // Not an image either (a tar has "ustar" at 257): say what it is.
  std::string tar = read_at(fd.get(), 257, 5, path);
  return tar != "ustar";
}

void program_deps(const DepsArgs& a) {
  app::AutoBaseRequest req;
  std::string name = a.read.reference.substr(a.read.reference.rfind('/') + 1);
  req.files.push_back({a.read.reference, "/app/" + name});
  req.release = a.release;
  req.arch = a.arch.empty() ? host_debian_arch() : a.arch;
  req.source = source_options(a.source);
  app::AutoBaseChoice c = app::choose_base(req);
  if (a.json) {
    nlohmann::json j;
    j["base"] = c.base;
    j["closure"] = c.closure;
    j["needs"] = c.packages;
    j["packages"] = nlohmann::json::array();
    for (const auto& e : c.extras)
      j["packages"].push_back({{"name", e.name}, {"version", e.version}, {"reason", e.reason}});
    j["reasons"] = c.reasons;
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("base: %s\n", c.base.c_str());
  std::string names;
  for (const auto& e : c.extras) names += (names.empty() ? "" : " ") + e.name;
  std::printf("packages: %s\n", names.empty() ? "(none)" : names.c_str());
  for (const auto& e : c.extras)
    std::printf("  %s %s: %s\n", e.name.c_str(), e.version.c_str(), e.reason.c_str());
  std::printf("closure:\n");
  for (const auto& p : c.closure) std::printf("  %s\n", p.c_str());
  std::printf("reasons:\n");
  for (const auto& r : c.reasons) std::printf("  %s\n", r.c_str());
}

// Non-zero exit when something would not run: the answer is "no".
void image_deps(const DepsArgs& a) {
  oci::Artifact art = open_read(a.read);
  oci::ImagePtr image = pick_image(art, a.read);
  std::string arch = a.arch.empty() ? debian_arch_for_platform(image->platform()) : a.arch;
  auto cache_arch = elf::cache_arch_from_debian(arch);
  if (!cache_arch) throw Error(ErrorKind::kUsage, "architecture '" + arch + "' is not supported");
  inspect::UnmetNeeds needs = inspect::image_unmet_needs(*image, *cache_arch);
  nlohmann::json j = nlohmann::json::array();
  std::vector<std::string> lines;
  for (const auto& n : needs.needs) {
    if (n.code == "missing-library")
      j.push_back({{"file", n.file}, {"missing", n.missing}});
    else if (n.code == "missing-symbol-version")
      j.push_back({{"file", n.file}, {"missing-version", n.missing}, {"library", n.library}});
    else
      j.push_back({{"file", n.file}, {"missing-interpreter", n.missing}});
    lines.push_back(n.message);
  }
  if (a.json) {
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    for (const auto& l : lines) std::printf("%s\n", l.c_str());
    if (lines.empty()) std::printf("every ELF file's needs are met (%zu objects)\n", needs.objects);
  }
  if (!lines.empty()) set_exit_status(1);
}

}  // namespace

void add_deps_command(CLI::App& app) {
  auto a = std::make_shared<DepsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "deps",
      "What a program needs: for a PATH on the host (an ELF program), its library closure\n"
      "as ld.so resolves it, the smallest family base that serves it and the exact Debian\n"
      "packages added on top, each with its reason. For an image REF (any transport),\n"
      "every ELF file whose libraries, symbol versions or interpreter the image lacks\n"
      "(exit 1 when there is one).");
  add_read_args(cmd, a->read, "Program on the host, or image reference (see IMAGE REFERENCES)",
                true);
  cmd->add_flag("--json", a->json, "JSON output");
  cmd->add_option("--release", a->release, "Release to pick the base in (default: the newest)");
  cmd->add_option("--arch", a->arch,
                  "Debian architecture (default: the host's for a program, the image's for REF)");
  // The archive flags a lookup needs (--timeout is the registry flags' here).
  cmd->add_option("--cache-dir", a->source.cache_dir,
                  "Package cache (default $XDG_CACHE_HOME/distill)");
  cmd->add_option("--mirror", a->source.mirror, "Main Debian archive URI (replaces the host's)");
  cmd->add_flag("--offline", a->source.offline, "Use only cached package lists and packages");
  cmd->footer(
      help_footer("  distill deps ./server                  # base and packages\n"
                  "  distill deps ./server --release debian12 --json\n"
                  "  distill deps oci:out/app:latest        # will it run?",
                  "  1  an image lacks something one of its programs needs"));
  cmd->callback([a] {
    if (is_host_program(a->read.reference))
      program_deps(*a);
    else
      image_deps(*a);
  });
}

}  // namespace distill::cli
