#include "util/cores.h"

#include <sched.h>

#include <gtest/gtest.h>

#include <thread>

namespace distill {

// Affinity is per thread: a thread pinned to one CPU counts one core, while
// the test's own thread still counts its whole mask.
TEST(UsableCores, FollowsTheAffinityMaskNotTheHostsCpuCount) {
  cpu_set_t all;
  ASSERT_EQ(::sched_getaffinity(0, sizeof all, &all), 0);
  EXPECT_EQ(usable_cores(), static_cast<unsigned>(CPU_COUNT(&all)));
  int first = -1;
  for (int c = 0; c < CPU_SETSIZE && first < 0; ++c)
    if (CPU_ISSET(c, &all)) first = c;
  ASSERT_GE(first, 0);
  unsigned pinned = 0;
  std::thread t([&] {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    if (::sched_setaffinity(0, sizeof one, &one) == 0) pinned = usable_cores();
  });
  t.join();
  EXPECT_EQ(pinned, 1u);
  EXPECT_EQ(usable_cores(), static_cast<unsigned>(CPU_COUNT(&all)));
}

}  // namespace distill
