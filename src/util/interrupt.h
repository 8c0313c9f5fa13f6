// Ctrl-C and SIGTERM: a build stopped by either leaves nothing behind. Live
// temporary directories (TempDir: output stages beside -o, work dirs)
// register here; on SIGINT or SIGTERM a watcher thread removes them and the
// process exits with 128 + the signal number (130, 143), as shells expect.
#pragma once

#include <string>

namespace distill {

// Installs the SIGINT and SIGTERM handlers and starts the watcher thread.
// The handler only writes the signal number to a pipe (async-signal-safe);
// the watcher does the removal outside signal context. A signal the process
// inherited as ignored stays ignored. Call once, early in main(). Without
// it, registered paths are only bookkeeping.
void install_interrupt_cleanup();

// `path` (a directory) is removed if the process is interrupted, until
// forget_on_interrupt(key); `key` is unique among live entries (TempDir uses
// its lock's fd). A path that was renamed away meanwhile (a committed
// output) is left alone. While the watcher cleans up, both calls block, so a
// path is never forgotten half way through its removal.
void remove_on_interrupt(int key, const std::string& path);
void forget_on_interrupt(int key);

}  // namespace distill
