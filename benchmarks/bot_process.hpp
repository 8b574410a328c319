#pragma once
// The benchmarks that measure the real bot start it as its own process.

#include <sys/types.h>

#include <string>
#include <vector>

namespace lastcall::benchmarks {

// Starts `binary serve` with this process's environment, `settings` (NAME=value) replacing what it
// says, and its output (stdout and stderr) in log_path. The pid, or -1 when it could not start.
pid_t start_bot(const std::string& binary, const std::vector<std::string>& settings,
                const std::string& log_path);

}  // namespace lastcall::benchmarks
