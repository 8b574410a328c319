#pragma once
// The benchmarks that measure the real bot start it as its own process.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lastcall::benchmarks {

// Starts `binary serve` with this process's environment, `settings` (NAME=value) replacing what it
// says, and its output (stdout and stderr) in log_path. The pid, or -1 when it could not start.
pid_t start_bot(const std::string& binary, const std::vector<std::string>& settings,
                const std::string& log_path);

// The lastcall binary to start: LASTCALL_BINARY from the environment, or else `built` (this
// build's).
std::string lastcall_binary(const char* built);

// How a process ended, as waitpid reports it: its exit code, or minus the signal that ended it.
int exit_code_of(int status);

// Reaps `pid` once it has ended, looking every 10 ms: its exit_code_of, or nothing when it is still
// running after `limit`.
std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds limit);

// Asks `pid` to stop (SIGTERM), gives it two minutes to, then kills it. Its exit_code_of.
int stop_bot(pid_t pid);

}  // namespace lastcall::benchmarks
