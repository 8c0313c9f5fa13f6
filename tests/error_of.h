#pragma once

#include <functional>
#include <string>

#include "util/error.h"

namespace distill {

// The message of the distill::Error that f throws, or "" when it throws none.
// Other exceptions propagate and fail the test.
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace distill
