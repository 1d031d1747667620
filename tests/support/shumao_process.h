// Test support for tests that run the real `shumao` binary (SHUMAO_BINARY, set by CMake):
// one command with its stdout captured, a server process started and stopped, a free
// loopback port, and money strings read as fen.
#ifndef SHUMAO_TESTS_SUPPORT_SHUMAO_PROCESS_H_
#define SHUMAO_TESTS_SUPPORT_SHUMAO_PROCESS_H_

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace shumao::testing {

struct CommandResult {
  int code = -1;    // exit code; -1 if the process did not exit normally
  std::string out;  // stdout
};

// Single-quotes `s` for /bin/sh.
inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `sh -c CMD`, stdout captured (stderr as CMD redirects it).
inline CommandResult RunShell(const std::string& cmd) {
  CommandResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 8192> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Runs `shumao ARGS` (ARGS already quoted for the shell); stderr appended to `log`.
inline CommandResult Shumao(const std::string& args, const std::string& log = "/dev/null") {
  return RunShell(ShellQuote(SHUMAO_BINARY) + " " + args + " 2>>" + ShellQuote(log));
}

// A TCP port on 127.0.0.1 that nothing listens on right now.
inline int FreePort() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  close(s);
  return port;
}

// Starts `shumao ARGS...` with stdout and stderr sent to `log`; 0 if it could not start.
inline pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> all = {SHUMAO_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, SHUMAO_BINARY, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : 0;
}

// SIGTERM, then waits; returns the exit code (-1 if it did not exit normally).
inline int Terminate(pid_t pid) {
  if (pid <= 0) return -1;
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// "23299.2", "23299.20" or "23299" as fen; nullopt if it is not a plain amount with at
// most two decimals.
inline std::optional<int64_t> Fen(std::string_view s) {
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  int64_t units = 0, cents = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] != '.'; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    units = units * 10 + (s[i] - '0');
  }
  if (i < s.size()) {
    std::string_view frac = s.substr(i + 1);
    if (frac.size() > 2) {
      // Extra decimals are allowed only as zeros ("12.50000").
      if (frac.substr(2).find_first_not_of('0') != std::string_view::npos) return std::nullopt;
      frac = frac.substr(0, 2);
    }
    for (size_t k = 0; k < 2; ++k) {
      char c = k < frac.size() ? frac[k] : '0';
      if (c < '0' || c > '9') return std::nullopt;
      cents = cents * 10 + (c - '0');
    }
  }
  int64_t fen = units * 100 + cents;
  return negative ? -fen : fen;
}

// Fen as "123.45".
inline std::string Yuan(int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  if (fen < 0) fen = -fen;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", sign.c_str(), static_cast<long long>(fen / 100),
                static_cast<long long>(fen % 100));
  return buf;
}

// A test with a scratch folder of its own (removed after a pass, kept and named on stdout
// after a failure) and a log file that collects the commands' stderr.
class ScratchTest : public ::testing::Test {
 protected:
  explicit ScratchTest(std::string name) : name_(std::move(name)) {}
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("shumao-" + name_ + "-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    log_ = (dir_ / "stderr.log").string();
  }
  void TearDown() override {
    if (!HasFailure()) {
      std::filesystem::remove_all(dir_);
    } else {
      std::printf("%s: files kept in %s\n", name_.c_str(), dir_.c_str());
    }
  }
  // `shumao ARGS`, stderr to the log.
  CommandResult Run(const std::string& args) { return Shumao(args, log_); }

  std::filesystem::path dir_;
  std::string log_;

 private:
  std::string name_;
};

}  // namespace shumao::testing

#endif  // SHUMAO_TESTS_SUPPORT_SHUMAO_PROCESS_H_
