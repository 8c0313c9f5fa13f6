// Each subcommand lives in its own file and registers itself on the app.
#pragma once

#include <CLI/CLI.hpp>

namespace distill::cli {

void add_build_command(CLI::App& app);
void add_images_command(CLI::App& app);
void add_copy_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_diff_command(CLI::App& app);
void add_extract_command(CLI::App& app);
void add_lock_command(CLI::App& app);
void add_sbom_command(CLI::App& app);
void add_verify_command(CLI::App& app);

// Man-page style footer shared by the commands' --help.
std::string help_footer(const std::string& examples);

}  // namespace distill::cli
