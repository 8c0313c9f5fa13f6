// How many cores this process may run on, for sizing its thread pools.
#pragma once

namespace distill {

// The CPUs in this thread's affinity mask (taskset, a container's cpuset),
// at least 1; std::thread::hardware_concurrency() when the mask cannot be
// read. Unlike hardware_concurrency(), which counts every online CPU of the
// host, this is what the kernel will actually schedule us on: a build
// pinned to two CPUs of a 64-core host sizes itself for two.
unsigned usable_cores();

}  // namespace distill
