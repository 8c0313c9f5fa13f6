// One way to repeat an operation that may fail for a passing reason: a
// bounded number of attempts with a wait that doubles after each failure,
// and a decision made on the error's kind, never on its message.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include "util/error.h"

namespace distill {

struct RetryPolicy {
  int retries = 3;        // extra attempts after the first
  long backoff_ms = 300;  // wait before the first retry, doubled after every retry
};

// True for the kinds another attempt may fix: kTransient.
bool is_transient(const Error& e);

// The attempt count and next wait of one repeated operation. Loops that need
// their own shape (a response that is returned, not thrown; transfers
// scheduled on a multi handle) use it directly; the rest call retry().
class Backoff {
 public:
  explicit Backoff(RetryPolicy policy) : policy_(policy), delay_ms_(policy.backoff_ms) {}

  // 0 for the first attempt.
  int attempt() const { return attempt_; }
  // True when the current attempt is the last one the policy allows.
  bool exhausted() const { return attempt_ >= policy_.retries; }

  // Moves to the next attempt and returns how long to wait before it; the
  // wait after that one is twice as long. Logs "retrying WHAT in N ms: WHY".
  std::chrono::milliseconds next(const std::string& what, const std::string& why);
  // next(), then sleeps for the wait.
  void wait(const std::string& what, const std::string& why);

  // `message` with " (after N attempts)" appended once there was a retry.
  std::string final_message(const std::string& message) const;
  // Throws `e` with final_message() and e's kind.
  [[noreturn]] void give_up(const Error& e) const;

 private:
  RetryPolicy policy_;
  int attempt_ = 0;
  long delay_ms_;
};

// Calls op() until it returns. An Error that `retry_if` accepts is retried
// while the policy allows, waiting in between; the last such error is thrown
// with " (after N attempts)". Any other exception passes through at once.
template <typename Op, typename Pred>
auto retry(const RetryPolicy& policy, const std::string& what, Op&& op, Pred&& retry_if)
    -> decltype(op()) {
  Backoff backoff(policy);
  for (;;) {
    try {
      return op();
    } catch (const Error& e) {
      if (!retry_if(e)) throw;
      if (backoff.exhausted()) backoff.give_up(e);
      backoff.wait(what, e.what());
    }
  }
}

template <typename Op>
auto retry(const RetryPolicy& policy, const std::string& what, Op&& op) -> decltype(op()) {
  return retry(policy, what, std::forward<Op>(op), is_transient);
}

}  // namespace distill
