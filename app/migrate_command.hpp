#pragma once

#include <string>
#include <vector>

namespace lastcall::app {

// `lastcall migrate`: applies the missing database migrations and exits.
int run_migrate_command(const std::vector<std::string>& args);

}  // namespace lastcall::app
