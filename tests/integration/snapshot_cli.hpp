#pragma once
// Running the snapshot tools (`lastcall snapshot`, `lastcall restore`) as an operator would, and
// reading what they printed.

#include <unistd.h>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/bot_process.hpp"

namespace lastcall::tests {

struct command_result {
  int exit_code = -1;  // -signal when a signal ended it
  std::string output;  // stdout and stderr together
};

// Runs `lastcall <args>` to its end, with the environment plus `env`.
inline command_result run_lastcall(std::vector<std::string> args,
                                   std::map<std::string, std::string> env,
                                   const std::string& name) {
  static std::atomic<int> counter{0};
  const auto log_name = name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  std::remove((testing::test_output_dir() + "/" + log_name + ".log").c_str());
  testing::bot_process process(std::move(args), std::move(env), log_name);
  command_result result;
  result.exit_code = process.wait(120000).value_or(-1);
  result.output = process.log();
  return result;
}

// A path in the temporary folder unique to this test process.
inline std::string temporary_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("lastcall-" + name + "-" + std::to_string(::getpid()) + ".json"))
      .string();
}

}  // namespace lastcall::tests
