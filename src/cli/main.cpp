// distill: build distroless container images from Debian packages, and
// show what is inside any image.
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "util/error.h"
#include "util/log.h"

int main(int argc, char** argv) {
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
      "  distill images                          list the image family"));

  distill::cli::add_build_command(app);
  distill::cli::add_images_command(app);
  distill::cli::add_copy_command(app);
  distill::cli::add_inspect_command(app);
  distill::cli::add_diff_command(app);
  distill::cli::add_extract_command(app);
  distill::cli::add_lock_command(app);
  distill::cli::add_sbom_command(app);
  distill::cli::add_verify_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "distill: %s\n", e.what());
    std::fprintf(stderr, "Run 'distill --help' or 'distill COMMAND --help' for usage.\n");
    return 2;
  } catch (const distill::Error& e) {
    std::fprintf(stderr, "distill: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "distill: internal error: %s\n", e.what());
    return 70;
  }
  return 0;
}
