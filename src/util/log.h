// Diagnostics on stderr. Progress is drawn only when stderr is a terminal so
// that piped output stays clean.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace distill {

enum class Verbosity { kQuiet, kNormal, kVerbose };

void set_verbosity(Verbosity v);
Verbosity verbosity();
bool stderr_is_tty();

void log_info(const std::string& msg);     // normal and verbose
void log_verbose(const std::string& msg);  // verbose only
void log_warn(const std::string& msg);     // always, prefixed "warning: "

// A one-line progress display ("label  12.3/40.0 MiB"), redrawn in place on
// a TTY and silent otherwise. Thread-safe.
class Progress {
 public:
  Progress(std::string label, uint64_t total);
  ~Progress();
  void add(uint64_t n);
  void add_total(uint64_t n);
  void done();

 private:
  void draw(bool force);
  std::mutex mu_;
  std::string label_;
  uint64_t total_;
  uint64_t current_ = 0;
  int64_t last_draw_ms_ = 0;
  bool enabled_;
  bool finished_ = false;
};

std::string human_size(uint64_t bytes);

}  // namespace distill
