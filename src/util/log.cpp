#include "util/log.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace distill {

namespace {
Verbosity g_verbosity = Verbosity::kNormal;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
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

void log_info(const std::string& msg) {
  if (g_verbosity != Verbosity::kQuiet) std::fprintf(stderr, "%s\n", msg.c_str());
}

void log_verbose(const std::string& msg) {
  if (g_verbosity == Verbosity::kVerbose) std::fprintf(stderr, "%s\n", msg.c_str());
}

void log_warn(const std::string& msg) {
  std::fprintf(stderr, "warning: %s\n", msg.c_str());
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
    : label_(std::move(label)),
      total_(total),
      enabled_(stderr_is_tty() && g_verbosity != Verbosity::kQuiet) {}

Progress::~Progress() {
  done();
}

void Progress::add(uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  current_ += n;
  draw(false);
}

void Progress::add_total(uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  total_ += n;
}

void Progress::done() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (enabled_) {
    draw(true);
    std::fprintf(stderr, "\n");
  }
}

void Progress::draw(bool force) {
  if (!enabled_) return;
  int64_t t = now_ms();
  if (!force && t - last_draw_ms_ < 100) return;
  last_draw_ms_ = t;
  std::string line = "\r" + label_ + "  " + human_size(current_);
  if (total_) {
    line += " / " + human_size(total_);
    line += "  " + std::to_string(current_ * 100 / total_) + "%";
  }
  std::fprintf(stderr, "%s\x1b[K", line.c_str());
  std::fflush(stderr);
}

}  // namespace distill
