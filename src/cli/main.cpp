// distill: build distroless container images from Debian packages, and
// show what is inside any image.
#include <malloc.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "util/error.h"
#include "util/interrupt.h"
#include "util/log.h"

int main(int argc, char** argv) {
  // Before any other thread exists, so Ctrl-C never finds a half-set-up state.
  distill::install_interrupt_cleanup();
  // Layers move through 4 MiB buffers (gzip members, blocks) on short-lived
  // threads. glibc's adaptive threshold soon serves such buffers from
  // per-thread arenas that keep them after free, so peak memory grew with
  // the number of threads that ever ran; fixed thresholds hand them back to
  // the kernel on free (a warm cc build: 82 MB peak -> 61 MB).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 18);
  CLI::App app{
      "distill builds distroless container images from Debian packages, daemonless and\n"
      "reproducibly, and shows what is inside any image.",
      "distill"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", "distill " DISTILL_VERSION);
  // Callbacks run while parsing, before any subcommand's final callback.
  app.add_flag_callback(
      "-q,--quiet", [] { distill::set_verbosity(distill::Verbosity::kQuiet); },
      "Print only results and errors");
  app.add_flag_callback(
      "-v,--verbose", [] { distill::set_verbosity(distill::Verbosity::kVerbose); },
      "Print what distill is doing");
  app.footer(distill::cli::help_footer(
      "  distill build static -o out/static      build the static image as an OCI layout\n"
      "  distill inspect out/static              show what is inside it\n"
      "  distill images                          list the image family\n"
      "  distill help build                      the same as distill build --help"));

  distill::cli::add_build_command(app);
  distill::cli::add_images_command(app);
  distill::cli::add_copy_command(app);
  distill::cli::add_inspect_command(app);
  distill::cli::add_diff_command(app);
  distill::cli::add_extract_command(app);
  distill::cli::add_lock_command(app);
  distill::cli::add_sbom_command(app);
  distill::cli::add_attach_command(app);
  distill::cli::add_verify_command(app);
  distill::cli::add_ls_command(app);
  distill::cli::add_manifest_command(app);
  distill::cli::add_config_command(app);
  distill::cli::add_digest_command(app);
  distill::cli::add_gc_command(app);
  distill::cli::add_deps_command(app);
  distill::cli::add_cache_command(app);
  distill::cli::add_completion_commands(app);  // last: it lists the others

  std::vector<std::string> args = distill::cli::rewrite_help({argv, argv + argc});
  if (std::string m = distill::cli::unknown_command_message(app, args); !m.empty()) {
    std::fprintf(stderr, "distill: %s\n", m.c_str());
    std::fprintf(stderr, "Run 'distill --help' for the list of commands.\n");
    return 2;
  }
  try {
    // CLI11 takes the arguments last first, without the program name.
    std::vector<std::string> rev(args.rbegin(), args.rend() - 1);
    app.parse(rev);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string m = distill::cli::unknown_option_message(app, args);
    std::fprintf(stderr, "distill: %s\n", (m.empty() ? distill::cli::usage_message(e) : m).c_str());
    std::fprintf(stderr, "Run 'distill --help' or 'distill COMMAND --help' for usage.\n");
    return 2;
  } catch (const distill::Error& e) {
    std::fprintf(stderr, "distill: error: %s\n", e.what());
    return distill::cli::error_status();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "distill: internal error: %s\n", e.what());
    return 70;
  }
  return distill::cli::exit_status();
}
