// The process's file mode creation mask, read without changing it.
#pragma once

#include <sys/types.h>

namespace distill {

// The umask (022 typically). Read from /proc/self/status, so no other
// thread ever sees a changed mask; where /proc lacks it, set and restored.
mode_t current_umask();

}  // namespace distill
