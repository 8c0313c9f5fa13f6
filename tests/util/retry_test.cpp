#include "util/retry.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>

#include "util/error.h"

namespace distill {
namespace {

TEST(Retry, TransientErrorsAreRetriedUntilTheyStop) {
  int calls = 0;
  int got = retry(RetryPolicy{3, 1}, "op", [&] {
    if (++calls < 3) throw Error(ErrorKind::kTransient, "dropped");
    return 42;
  });
  EXPECT_EQ(got, 42);
  EXPECT_EQ(calls, 3);
}

TEST(Retry, TheLastErrorSaysHowManyAttemptsAndKeepsItsKind) {
  int calls = 0;
  try {
    retry(RetryPolicy{2, 1}, "op", [&] {
      ++calls;
      throw Error(ErrorKind::kTransient, "HTTP 503");
    });
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "HTTP 503 (after 3 attempts)");
    EXPECT_EQ(e.kind(), ErrorKind::kTransient);
  }
  EXPECT_EQ(calls, 3);
}

TEST(Retry, TheDecisionIsTheKindNotTheMessage) {
  // A message that reads like a dropped connection but is of another kind
  // is final, and so is every non-transient kind.
  for (ErrorKind kind : {ErrorKind::kIntegrity, ErrorKind::kNotFound, ErrorKind::kAuth,
                         ErrorKind::kRejected, ErrorKind::kIo, ErrorKind::kInvalid}) {
    int calls = 0;
    try {
      retry(RetryPolicy{3, 1}, "op", [&] {
        ++calls;
        throw Error(kind, "connection reset, try again");
      });
      FAIL() << "expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), "connection reset, try again") << error_kind_name(kind);
      EXPECT_EQ(e.kind(), kind);
    }
    EXPECT_EQ(calls, 1) << error_kind_name(kind);
  }
}

TEST(Retry, ACustomPredicateAndOtherExceptionsPassThrough) {
  int calls = 0;
  retry(
      RetryPolicy{3, 1}, "op",
      [&] {
        if (++calls < 2) throw Error(ErrorKind::kIo, "busy");
      },
      [](const Error& e) { return e.kind() == ErrorKind::kIo; });
  EXPECT_EQ(calls, 2);
  calls = 0;
  EXPECT_THROW(retry(RetryPolicy{3, 1}, "op",
                     [&] {
                       ++calls;
                       throw std::logic_error("bug");
                     }),
               std::logic_error);
  EXPECT_EQ(calls, 1);
}

TEST(Retry, BackoffDoublesTheWait) {
  Backoff b(RetryPolicy{3, 100});
  EXPECT_EQ(b.attempt(), 0);
  EXPECT_FALSE(b.exhausted());
  EXPECT_EQ(b.next("x", ""), std::chrono::milliseconds(100));
  EXPECT_EQ(b.next("x", ""), std::chrono::milliseconds(200));
  EXPECT_EQ(b.next("x", ""), std::chrono::milliseconds(400));
  EXPECT_EQ(b.attempt(), 3);
  EXPECT_TRUE(b.exhausted());
  EXPECT_EQ(b.final_message("gone"), "gone (after 4 attempts)");
  EXPECT_EQ(Backoff(RetryPolicy{}).final_message("gone"), "gone");
}

TEST(Error, ErrnoFailuresHaveAKind) {
  try {
    errno = ENOENT;
    throw_errno("cannot open", "/nonexistent");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
  try {
    errno = EACCES;
    throw_errno("cannot open", "/root/x");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(std::string(e.what()), "cannot open /root/x: Permission denied");
  }
  EXPECT_EQ(Error("bad").kind(), ErrorKind::kInvalid);
}

}  // namespace
}  // namespace distill
