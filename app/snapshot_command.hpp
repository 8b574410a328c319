#pragma once
// The operators' snapshot tools on the command line: `snapshot` here, `restore` in
// app/restore_command.hpp.

#include <optional>
#include <string>
#include <vector>

namespace lastcall::app {

// `lastcall snapshot --out FILE [--server http://HOST:PORT]`: asks a running server for a snapshot
// (POST /admin/snapshot with ADMIN_TOKEN or ADMIN_TOKEN_FILE), checks that the answer is a valid
// snapshot and writes it to FILE atomically. The server defaults to HTTP_HOST:HTTP_PORT. Exit
// codes: 0 written, 1 the server or the file failed, 2 usage or settings.
int run_snapshot_command(const std::vector<std::string>& args);

// Removes "--name VALUE" or "--name=VALUE" from `args` (the flags config::load left over) and
// returns the value; nothing when the flag is absent, "" when it has no value.
std::optional<std::string> take_flag(std::vector<std::string>& args, const std::string& name);

}  // namespace lastcall::app
