#pragma once

#include <string>
#include <vector>

namespace lastcall::app {

// `lastcall demo-seed`: writes the demo market (domain/demo_data.hpp) into DATABASE_URL when the
// database has no business yet, so the bot starts with deals to browse; otherwise changes nothing.
// Flags: --owner-id N (the business persona's user id, 700) and the usual settings flags.
int run_demo_seed_command(const std::vector<std::string>& args);

}  // namespace lastcall::app
