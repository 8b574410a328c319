#include "benchmarks/bot_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

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

}  // namespace lastcall::benchmarks
