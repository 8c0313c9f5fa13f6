#include "util/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>

#include "util/error.h"
#include "util/io.h"

extern char** environ;

namespace distill {

namespace {

struct Pipe {
  Fd r, w;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("cannot create", "pipe");
    r = Fd(fds[0]);
    w = Fd(fds[1]);
  }
};

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          int timeout_seconds) {
  if (argv.empty()) throw Error("internal: empty command");
  Pipe in, out, err;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in.r.get(), 0);
  posix_spawn_file_actions_adddup2(&fa, out.w.get(), 1);
  posix_spawn_file_actions_adddup2(&fa, err.w.get(), 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    errno = rc;
    throw_errno("cannot run", argv[0]);
  }
  in.r = Fd();
  out.w = Fd();
  err.w = Fd();
  // Writes to a child that exited early must not kill us.
  ::signal(SIGPIPE, SIG_IGN);

  ProcessResult result;
  size_t in_pos = 0;
  if (input.empty()) in.w = Fd();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool timed_out = false;
  while (out.r || err.r) {
    pollfd fds[3];
    int n = 0;
    if (in.w) fds[n++] = {in.w.get(), POLLOUT, 0};
    if (out.r) fds[n++] = {out.r.get(), POLLIN, 0};
    if (err.r) fds[n++] = {err.r.get(), POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    if (::poll(fds, n, static_cast<int>(left.count())) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll failed for", argv[0]);
    }
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      char buf[65536];
      if (in.w && fds[i].fd == in.w.get()) {
        ssize_t w = ::write(in.w.get(), input.data() + in_pos, input.size() - in_pos);
        if (w < 0 && errno != EINTR && errno != EAGAIN) {
          in.w = Fd();
        } else if (w > 0) {
          in_pos += static_cast<size_t>(w);
          if (in_pos == input.size()) in.w = Fd();
        }
      } else {
        Fd& src = (out.r && fds[i].fd == out.r.get()) ? out.r : err.r;
        std::string& dst = (&src == &out.r) ? result.out : result.err;
        ssize_t r = ::read(src.get(), buf, sizeof buf);
        if (r > 0) {
          dst.append(buf, static_cast<size_t>(r));
        } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
          src = Fd();
        }
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    throw Error(argv[0] + " did not finish within " + std::to_string(timeout_seconds) + " s");
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = ::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string cand = p.substr(start, end - start) + "/" + name;
    if (::access(cand.c_str(), X_OK) == 0) return cand;
    start = end + 1;
  }
  return "";
}

}  // namespace distill
