#include "util/interrupt.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace distill {

namespace {

std::mutex g_mu;
std::vector<std::pair<int, std::string>> g_paths;  // guarded by g_mu
int g_pipe[2] = {-1, -1};

void on_signal(int sig) {
  int saved = errno;
  unsigned char b = static_cast<unsigned char>(sig);
  // A full pipe means a signal is already pending; nothing is lost.
  [[maybe_unused]] ssize_t n = ::write(g_pipe[1], &b, 1);
  errno = saved;
}

// Moves `path` aside with one rename before removing it. A commit that
// renames the same directory into place at the same moment either happens
// first (this rename fails: the new output stands) or fails itself (the
// old output stands); never is a half-removed stage renamed into place.
void remove_path(const std::string& path) {
  std::filesystem::path p(path);
  std::string trash = (p.parent_path() / ".distill-interrupted.tmp-XXXXXX").string();
  std::string victim = path;
  if (::mkdtemp(trash.data())) {
    // rename(2) replaces the empty directory mkdtemp made.
    if (::rename(path.c_str(), trash.c_str()) == 0) {
      victim = trash;
    } else {
      ::rmdir(trash.c_str());
      if (errno == ENOENT) return;  // committed or already gone
    }
  }
  // Threads still running may add a file while the tree goes: retry.
  for (int i = 0; i < 20; ++i) {
    std::error_code ec;
    std::filesystem::remove_all(victim, ec);
    if (!ec || !std::filesystem::exists(victim, ec)) return;
  }
}

[[noreturn]] void clean_up_and_exit(int sig) {
  std::lock_guard<std::mutex> lock(g_mu);  // held until _exit: no one forgets
  for (const auto& [key, path] : g_paths) remove_path(path);
  const char* name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
  std::fprintf(stderr, "distill: interrupted by %s; temporary files removed\n", name);
  std::fflush(stderr);
  ::_exit(128 + sig);
}

void watch() {
  for (;;) {
    unsigned char b = 0;
    ssize_t n = ::read(g_pipe[0], &b, 1);
    if (n == 1) clean_up_and_exit(b);
    if (n < 0 && errno == EINTR) continue;
    return;  // the pipe broke: leave the default behaviour to the kernel
  }
}

}  // namespace

void install_interrupt_cleanup() {
  if (g_pipe[0] >= 0) return;
  if (::pipe2(g_pipe, O_CLOEXEC) != 0) return;  // no cleanup beats no program
  // The handler must never block: a full pipe already holds a signal.
  ::fcntl(g_pipe[1], F_SETFL, ::fcntl(g_pipe[1], F_GETFL) | O_NONBLOCK);
  std::thread(watch).detach();
  struct sigaction sa;
  ::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM}) {
    // An ignored signal stays ignored (nohup, `cmd &` in a script): the
    // caller asked for the build to survive it.
    struct sigaction old;
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    ::sigaction(sig, &sa, nullptr);
  }
}

void remove_on_interrupt(int key, const std::string& path) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_paths.emplace_back(key, path);
}

void forget_on_interrupt(int key) {
  std::lock_guard<std::mutex> lock(g_mu);
  auto it =
      std::find_if(g_paths.begin(), g_paths.end(), [&](const auto& e) { return e.first == key; });
  if (it != g_paths.end()) g_paths.erase(it);
}

}  // namespace distill
