// Diagnostics on stderr. Progress has three modes (progress_mode()): on a
// terminal one live display, a row per transfer or layer redrawn in place;
// with TERM=dumb (or -v when stderr is not a terminal) one plain line per
// finished task, without \r or escape codes; otherwise (piped, or -q)
// nothing, so that only results reach the reader. No colour is used, so
// NO_COLOR has nothing to turn off.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace distill {

enum class Verbosity { kQuiet, kNormal, kVerbose };

void set_verbosity(Verbosity v);
Verbosity verbosity();
bool stderr_is_tty();

enum class ProgressMode { kOff, kPlain, kLive };
// kLive: stderr is a terminal, TERM is not "dumb" and not -q. kPlain:
// TERM=dumb on a terminal, or -v. kOff: otherwise.
ProgressMode progress_mode();

void log_info(const std::string& msg);     // normal and verbose
void log_verbose(const std::string& msg);  // verbose only
void log_warn(const std::string& msg);     // always, prefixed "warning: "

// One task (a set of downloads, a push, a layer being written) on the
// display: a row "label  12.3 MiB / 40.0 MiB  31%  4.1 MiB/s" while it runs
// (kLive), and at done() the line "label: 40.0 MiB in 9.8 s (4.1 MiB/s)"
// (kPlain; in kLive too, above the rows, when -v). Thread-safe; rows of
// several live tasks are drawn together.
class Progress {
 public:
  Progress(std::string label, uint64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void add(uint64_t n);
  void add_total(uint64_t n);
  // Ends the task; `bytes` (if non-zero) replaces the count for the
  // summary, for a task that learns its size only at the end.
  void done(uint64_t bytes = 0);
  // The row as drawn now (for the display).
  std::string row(int64_t now_ms) const;

 private:
  mutable std::mutex mu_;
  std::string label_;
  uint64_t total_;
  uint64_t current_ = 0;
  int64_t start_ms_;
  bool finished_ = false;
};

std::string human_size(uint64_t bytes);

}  // namespace distill
