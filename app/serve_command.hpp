#pragma once

#include <string>
#include <vector>

namespace lastcall::app {

// `lastcall serve`: runs the bot until SIGINT or SIGTERM, then drains and exits 0.
int run_serve_command(const std::vector<std::string>& args);

}  // namespace lastcall::app
