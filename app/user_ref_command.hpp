#pragma once

#include <string>
#include <vector>

namespace lastcall::app {

// `lastcall user-ref ID...`: prints the reference under which the logs name each user (see
// logs/user_reference.hpp), to find the lines about one user who asks for help.
int run_user_ref_command(const std::vector<std::string>& args);

}  // namespace lastcall::app
