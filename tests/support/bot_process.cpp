#include "tests/support/bot_process.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace lastcall::testing {

std::string lastcall_binary() {
  if (const char* path = std::getenv("LASTCALL_BINARY"); path && *path) return path;
  return LASTCALL_BINARY_PATH;
}

std::string test_output_dir() {
  std::string dir = "test-output";
  if (const char* path = std::getenv("LASTCALL_TEST_OUTPUT"); path && *path) dir = path;
  mkdir(dir.c_str(), 0755);
  return dir;
}

bot_process::bot_process(std::vector<std::string> args, std::map<std::string, std::string> env,
                         std::string log_name) {
  log_path_ = test_output_dir() + "/" + log_name + ".log";
  std::map<std::string, std::string> full_env;
  for (char** e = environ; e && *e; ++e) {
    std::string item(*e);
    auto eq = item.find('=');
    if (eq != std::string::npos) full_env[item.substr(0, eq)] = item.substr(eq + 1);
  }
  for (auto& [k, v] : env) full_env[k] = v;

  std::vector<std::string> env_strings;
  for (auto& [k, v] : full_env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::string binary = lastcall_binary();
  args.insert(args.begin(), binary);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log_path_);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    // The test runner may block signals in its threads; the bot must start with a clean mask.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  ::close(log_fd);
}

bot_process::~bot_process() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait(10000);
  }
}

bool bot_process::running() {
  if (status_) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return false;
  }
  return r == 0;
}

void bot_process::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

std::optional<int> bot_process::wait(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

int bot_process::stop(int timeout_ms) {
  signal(SIGTERM);
  if (auto code = wait(timeout_ms)) return *code;
  signal(SIGKILL);
  return wait(10000).value_or(-SIGKILL);
}

std::string bot_process::log() const {
  std::ifstream in(log_path_);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace lastcall::testing
