#include "util/retry.h"

#include <thread>

#include "util/log.h"

namespace distill {

bool is_transient(const Error& e) {
  return e.kind() == ErrorKind::kTransient;
}

std::chrono::milliseconds Backoff::next(const std::string& what, const std::string& why) {
  std::chrono::milliseconds wait(delay_ms_);
  log_verbose("retrying " + what + " in " + std::to_string(delay_ms_) + " ms" +
              (why.empty() ? "" : ": " + why));
  ++attempt_;
  delay_ms_ *= 2;
  return wait;
}

void Backoff::wait(const std::string& what, const std::string& why) {
  std::this_thread::sleep_for(next(what, why));
}

std::string Backoff::final_message(const std::string& message) const {
  if (attempt_ == 0) return message;
  return message + " (after " + std::to_string(attempt_ + 1) + " attempts)";
}

void Backoff::give_up(const Error& e) const {
  throw Error(e.kind(), final_message(e.what()));
}

}  // namespace distill
