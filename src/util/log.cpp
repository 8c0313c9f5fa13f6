#include "util/log.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace distill {

namespace {
Verbosity g_verbosity = Verbosity::kNormal;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string rate_text(uint64_t bytes, int64_t ms) {
  if (ms <= 0) return "";
  return human_size(
             static_cast<uint64_t>(static_cast<double>(bytes) * 1000.0 / static_cast<double>(ms))) +
         "/s";
}

// The live rows: every running Progress, drawn below whatever was printed
// last. A redraw moves the cursor up over the rows drawn before and
// rewrites them, so log lines printed meanwhile stay above the display.
class Display {
 public:
  static Display& get() {
    static Display d;
    return d;
  }
  void add(const Progress* p) {
    std::lock_guard<std::mutex> lock(mu_);
    rows_.push_back(p);
  }
  // Takes `p` off the display and prints `line` (if any) above the rows.
  void finish(const Progress* p, const std::string& line) {
    std::lock_guard<std::mutex> lock(mu_);
    rows_.erase(std::remove(rows_.begin(), rows_.end(), p), rows_.end());
    print_locked(line);
  }
  void print(const std::string& line) {
    std::lock_guard<std::mutex> lock(mu_);
    print_locked(line);
  }
  // Redraws the rows, at most every 100 ms unless `force`.
  void redraw(bool force) {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t t = now_ms();
    if (!force && t - last_draw_ms_ < 100) return;
    last_draw_ms_ = t;
    draw_locked(t);
  }

 private:
  void erase_locked() {
    if (drawn_ == 0) return;
    std::fprintf(stderr, "\x1b[%dA\r\x1b[J", drawn_);
    drawn_ = 0;
  }
  void draw_locked(int64_t t) {
    if (progress_mode() != ProgressMode::kLive) return;
    erase_locked();
    for (const Progress* p : rows_) std::fprintf(stderr, "%s\x1b[K\n", p->row(t).c_str());
    drawn_ = static_cast<int>(rows_.size());
    std::fflush(stderr);
  }
  void print_locked(const std::string& line) {
    bool live = progress_mode() == ProgressMode::kLive;
    if (live) erase_locked();
    if (!line.empty()) std::fprintf(stderr, "%s\n", line.c_str());
    if (live) draw_locked(now_ms());
    std::fflush(stderr);
  }
  std::mutex mu_;
  std::vector<const Progress*> rows_;
  int drawn_ = 0;
  int64_t last_draw_ms_ = 0;
};

}  // namespace

void set_verbosity(Verbosity v) {
  g_verbosity = v;
}
Verbosity verbosity() {
  return g_verbosity;
}
bool stderr_is_tty() {
  return ::isatty(2) == 1;
}

ProgressMode progress_mode() {
  if (g_verbosity == Verbosity::kQuiet) return ProgressMode::kOff;
  const char* term = std::getenv("TERM");
  bool dumb = term && std::strcmp(term, "dumb") == 0;
  if (stderr_is_tty()) return dumb ? ProgressMode::kPlain : ProgressMode::kLive;
  return g_verbosity == Verbosity::kVerbose ? ProgressMode::kPlain : ProgressMode::kOff;
}

void log_info(const std::string& msg) {
  if (g_verbosity != Verbosity::kQuiet) Display::get().print(msg);
}

void log_verbose(const std::string& msg) {
  if (g_verbosity == Verbosity::kVerbose) Display::get().print(msg);
}

void log_warn(const std::string& msg) {
  Display::get().print("warning: " + msg);
}

std::string human_size(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  }
  return buf;
}

Progress::Progress(std::string label, uint64_t total)
    : label_(std::move(label)), total_(total), start_ms_(now_ms()) {
  if (progress_mode() == ProgressMode::kLive) {
    Display::get().add(this);
    Display::get().redraw(true);  // a new task shows at once, however short
  }
}

Progress::~Progress() {
  done();
}

void Progress::add(uint64_t n) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    current_ += n;
  }
  Display::get().redraw(false);
}

void Progress::add_total(uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  total_ += n;
}

std::string Progress::row(int64_t now) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string line = label_;
  if (current_ || total_) line += "  " + human_size(current_);
  if (total_) {
    line += " / " + human_size(total_) + "  " +
            std::to_string(std::min<uint64_t>(current_, total_) * 100 / total_) + "%";
  }
  if (std::string r = rate_text(current_, now - start_ms_); !r.empty() && current_)
    line += "  " + r;
  char secs[32];
  std::snprintf(secs, sizeof secs, "  %.1f s", static_cast<double>(now - start_ms_) / 1000.0);
  return line + secs;
}

void Progress::done(uint64_t bytes) {
  std::string line;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return;
    finished_ = true;
    if (bytes) current_ = bytes;
    ProgressMode mode = progress_mode();
    if (mode == ProgressMode::kPlain ||
        (mode == ProgressMode::kLive && g_verbosity == Verbosity::kVerbose)) {
      int64_t ms = now_ms() - start_ms_;
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.1f s", static_cast<double>(ms) / 1000.0);
      line = label_ + ": " + human_size(current_) + " in " + secs;
      if (std::string r = rate_text(current_, ms); !r.empty()) line += " (" + r + ")";
    }
  }
  Display::get().finish(this, line);
}

}  // namespace distill
