#include "util/process.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace distill {

TEST(Process, CapturesOutputAndExitCode) {
  auto r = run_process({"sh", "-c", "cat; echo err >&2; exit 3"}, "hello");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "hello");
  EXPECT_EQ(r.err, "err\n");
}

TEST(Process, MissingProgramThrows) {
  EXPECT_THROW(run_process({"/nonexistent/program"}), Error);
}

TEST(Process, TimeoutKills) {
  EXPECT_THROW(run_process({"sleep", "5"}, "", 1), Error);
}

}  // namespace distill
