#pragma once

#include <string>
#include <vector>

namespace lastcall::app {

// `lastcall sandbox`: serves the sandbox Bot API and its driver API until SIGINT or SIGTERM.
// Flags: --host H (127.0.0.1), --port N (8081), --token T (BOT_TOKEN, else a fixed development
// token),
// --chat-rate N and --global-rate N (flood control, calls per second; 0 = off), --log-level L.
int run_sandbox_command(const std::vector<std::string>& args);

}  // namespace lastcall::app
