#pragma once
// Runs the real `lastcall` binary as a child process for end-to-end and integration tests. Its
// output goes to a log file under the test output folder, named after the test, so a failing test
// can be read later.

#include <sys/types.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lastcall::testing {

// The lastcall binary: $LASTCALL_BINARY, else the one this build produced.
std::string lastcall_binary();

// Where tests write logs and screenshots: $LASTCALL_TEST_OUTPUT, else ./test-output.
std::string test_output_dir();

class bot_process {
 public:
  // Starts `lastcall <args...>` with the current environment plus `env`.
  bot_process(std::vector<std::string> args, std::map<std::string, std::string> env,
              std::string log_name);
  ~bot_process();  // kills the process if it still runs
  bot_process(const bot_process&) = delete;
  bot_process& operator=(const bot_process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  // Waits for the process to exit, at most timeout_ms; its exit code, or -signal when a signal
  // ended it, or nothing when it is still running.
  std::optional<int> wait(int timeout_ms);
  // Sends SIGTERM and waits for the exit code (SIGKILL after timeout_ms).
  int stop(int timeout_ms = 30000);
  const std::string& log_path() const { return log_path_; }
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

}  // namespace lastcall::testing
