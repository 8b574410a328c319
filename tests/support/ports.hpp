#pragma once
// Loopback ports for the servers a test starts next to the bot.

namespace lastcall::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it).
int free_tcp_port();

}  // namespace lastcall::testing
