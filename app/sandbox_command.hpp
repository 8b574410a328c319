#pragma once

#include <string>
#include <vector>

namespace lastcall::app {

// `lastcall sandbox`: serves the sandbox Bot API, its driver API and the browser chat page (at "/")
// until SIGINT or SIGTERM. Flags: --host H (127.0.0.1), --port N (8081), --token T (BOT_TOKEN,
// else a fixed development token), --chat-rate N and --global-rate N (flood control, calls per
// second; 0 = off), --log-level L, and --persona ID:NAME[:ROLE] (repeatable) to offer more people
// on the page than the built-in two customers, business owner and admin. CITY_LATITUDE,
// CITY_LONGITUDE and ADMIN_IDS are read as the bot reads them, for the page's places and admin.
int run_sandbox_command(const std::vector<std::string>& args);

}  // namespace lastcall::app
