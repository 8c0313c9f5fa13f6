// Runs a child program without a shell (argv form), feeding stdin and
// capturing stdout/stderr. Used for gpgv and docker-credential-* helpers.
#pragma once

#include <string>
#include <vector>

namespace distill {

struct ProcessResult {
  int exit_code = -1;  // 128+signal when killed by a signal
  std::string out;
  std::string err;
};

// Throws Error if the program cannot be started; a non-zero exit is returned.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = "",
                          int timeout_seconds = 120);

// Looks `name` up in $PATH; returns "" when absent.
std::string find_program(const std::string& name);

}  // namespace distill
