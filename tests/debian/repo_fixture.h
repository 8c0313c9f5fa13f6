// Test support: a signed apt repository built by tests/fixtures/make-apt-repo.sh
// and local servers from tests/fixtures/test_server.py, bound to 127.0.0.1.
// Header-only because only *_test.cpp files are compiled into the test binary.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"
#include "util/sha256.h"

extern char** environ;

namespace distill::testing {

inline std::string fixtures_dir() {
  return std::string(DISTILL_TEST_DIR) + "/fixtures";
}

// Runs a shell command line; throws with its output when it fails.
inline std::string sh(const std::string& cmd) {
  ProcessResult r = run_process({"bash", "-c", cmd}, "", 120);
  if (r.exit_code != 0)
    throw Error("command failed (" + std::to_string(r.exit_code) + "): " + cmd + "\n" + r.err);
  return r.out;
}

inline std::string quote(const std::string& s) {
  std::string r = "'";
  for (char c : s) r += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return r + "'";
}

// A private copy of the default fixture repository. The repository is built
// once per version of make-apt-repo.sh (under $TMPDIR, flock-protected) and
// copied, since every gtest runs as its own process under CTest.
class TestRepo {
 public:
  TestRepo() : tmp_("", "distill-test") {
    std::string script = fixtures_dir() + "/make-apt-repo.sh";
    const char* t = std::getenv("TMPDIR");
    std::string base = std::string(t && *t ? t : "/tmp") + "/distill-fixture-repo-" +
                       sha256_hex(read_file(script)).substr(0, 16);
    if (!path_exists(base + "/done")) {
      int fd = ::open((base + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) throw Error("cannot create fixture lock");
      ::flock(fd, LOCK_EX);
      if (!path_exists(base + "/done")) {
        remove_tree(base);
        sh("bash " + quote(script) + " " + quote(base));
        write_file_atomic(base + "/done", "");
      }
      ::close(fd);
    }
    dir_ = tmp_.path() + "/fixture";
    sh("cp -a " + quote(base) + " " + quote(dir_));
  }
  ~TestRepo() {
    // --resign may have started a gpg-agent for the copied home.
    if (resigned_) run_process({"gpgconf", "--homedir", dir_ + "/gnupg", "--kill", "gpg-agent"});
  }
  const std::string& dir() const { return dir_; }
  std::string repo() const { return dir_ + "/repo"; }
  std::string keyring() const { return dir_ + "/keyring.gpg"; }
  std::string armored_keyring() const { return dir_ + "/keyring.asc"; }
  std::string other_keyring() const { return dir_ + "/other-keyring.gpg"; }
  std::string tmp(const std::string& name) const { return tmp_.path() + "/" + name; }
  // Rewrites and signs dists/SUITE/Release; `env` like "VALID_UNTIL='...'".
  void resign(const std::string& suite, const std::string& key = "main",
              const std::string& env = "") {
    resigned_ = true;
    sh(env + " bash " + quote(fixtures_dir() + "/make-apt-repo.sh") + " --resign " + quote(dir_) +
       " " + suite + " " + key);
  }

 private:
  TempDir tmp_;
  std::string dir_;
  bool resigned_ = false;
};

// A test_server.py process; killed on destruction.
class TestServer {
 public:
  // mode: serve | drop | hang | proxy
  TestServer(const std::string& mode, const std::string& dir, const std::string& scratch)
      : port_file_(scratch + "/port-" + mode), log_(scratch + "/log-" + mode) {
    std::vector<std::string> argv = {"python3",  fixtures_dir() + "/test_server.py",
                                     mode,       "--port-file",
                                     port_file_, "--log",
                                     log_,       "--dir",
                                     dir};
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    if (::posix_spawnp(&pid_, "python3", nullptr, nullptr, args.data(), environ) != 0)
      throw Error("cannot start test_server.py");
    for (int i = 0; i < 400 && !path_exists(port_file_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (!path_exists(port_file_)) throw Error("test_server.py " + mode + " did not start");
    port_ = std::stoi(read_file(port_file_));
  }
  ~TestServer() {
    ::kill(pid_, SIGTERM);
    int st;
    ::waitpid(pid_, &st, 0);
  }
  int port() const { return port_; }
  std::string url(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string log() const { return path_exists(log_) ? read_file(log_) : ""; }
  void clear_log() const { write_file_atomic(log_, ""); }

 private:
  std::string port_file_, log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

inline int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

}  // namespace distill::testing
