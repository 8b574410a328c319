#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lastcall::app {

// `lastcall restore FILE [--log-from DATABASE_URL]`: checks the whole snapshot file, then writes it
// into DATABASE_URL (migrated first; it must hold no users, businesses, offers or reservations)
// and replays the event log after the snapshot's position: from --log-from, whose events are
// copied too, or else from the target's own events. All in one transaction: a refused or failed
// restore changes nothing. A restored database then starts with `lastcall serve` as usual.
// Exit codes: 0 restored, 1 the database failed, 2 a bad file, a non-empty target or bad usage.
int run_restore_command(const std::vector<std::string>& args);

// `serve --from-snapshot FILE`: takes the flag out of `args` and restores FILE as `restore FILE`
// would (with --log-from when given). Nothing when the flag is absent, else restore's exit code:
// serve starts only after 0.
std::optional<int> restore_before_serve(std::vector<std::string>& args);

}  // namespace lastcall::app
