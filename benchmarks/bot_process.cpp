#include "benchmarks/bot_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <thread>

extern char** environ;

namespace lastcall::benchmarks {

pid_t start_bot(const std::string& binary, const std::vector<std::string>& settings,
                const std::string& log_path) {
  auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    // A webhook or an HTTP port from the caller's environment would change what is measured.
    bool replaced = name_of(entry) == "WEBHOOK_URL" || name_of(entry) == "HTTP_PORT";
    for (const auto& setting : settings) replaced = replaced || name_of(entry) == name_of(setting);
    if (!replaced) env.push_back(entry);
  }
  env.insert(env.end(), settings.begin(), settings.end());
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = {binary, "serve"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  int failed = posix_spawn(&pid, binary.c_str(), &files, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&files);
  return failed == 0 ? pid : -1;
}

std::string lastcall_binary(const char* built) {
  const char* binary = std::getenv("LASTCALL_BINARY");
  return binary != nullptr && *binary != '\0' ? binary : built;
}

int exit_code_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return exit_code_of(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

int stop_bot(pid_t pid) {
  kill(pid, SIGTERM);
  if (auto code = wait_exit(pid, std::chrono::minutes(2))) return *code;
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  return exit_code_of(status);
}

}  // namespace lastcall::benchmarks
