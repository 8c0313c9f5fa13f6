// Each subcommand lives in its own file and registers itself on the app.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace distill::cli {

void add_build_command(CLI::App& app);
void add_images_command(CLI::App& app);
void add_copy_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_diff_command(CLI::App& app);
void add_extract_command(CLI::App& app);
void add_lock_command(CLI::App& app);
void add_sbom_command(CLI::App& app);
void add_attach_command(CLI::App& app);
void add_verify_command(CLI::App& app);
void add_ls_command(CLI::App& app);
void add_manifest_command(CLI::App& app);
void add_config_command(CLI::App& app);
void add_digest_command(CLI::App& app);
void add_gc_command(CLI::App& app);
void add_deps_command(CLI::App& app);
void add_cache_command(CLI::App& app);
// `completion bash|zsh` and `man`: from the commands registered before them.
void add_completion_commands(CLI::App& app);

// The exit status main() returns after a command's callback ran without an
// exception (default 0), and the one it returns for a distill::Error (default
// 1). `diff` sets 1 for "the images differ" and 2 for errors, as diff(1).
void set_exit_status(int status);
void set_error_status(int status);
int exit_status();
int error_status();

// `distill help [CMD]` as `distill [CMD] --help`, so both print the same;
// other arguments come back unchanged. args[0] is the program name.
std::vector<std::string> rewrite_help(std::vector<std::string> args);

// For a command word that names no subcommand of `app`: "unknown command
// 'buidl'; did you mean 'build'?". "" when the command is known or absent.
std::string unknown_command_message(const CLI::App& app, const std::vector<std::string>& args);

// After CLI11 rejected `args`: "unknown option '--fromat' for 'distill
// build'; did you mean '--format'?" for the first --long option neither the
// command nor the program knows, else "".
std::string unknown_option_message(const CLI::App& app, const std::vector<std::string>& args);

// The one line main() prints for a usage error: CLI11's message, without
// the "--flag: " prefix it puts before a validator's message that already
// starts with the flag's name.
std::string usage_message(const CLI::ParseError& e);

// Man-page style footer shared by the commands' --help; `exit_status`: lines
// added to EXIT STATUS for a command's own codes.
std::string help_footer(const std::string& examples, const std::string& exit_status = "");

}  // namespace distill::cli
