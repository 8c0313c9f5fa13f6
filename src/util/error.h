// Errors a user can act on. Every failure that reaches the CLI is an Error
// whose message names the file, field or package involved.
#pragma once

#include <stdexcept>
#include <string>

namespace distill {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// errno-based failure of a system call on `path`.
[[noreturn]] void throw_errno(const std::string& what, const std::string& path);

}  // namespace distill
