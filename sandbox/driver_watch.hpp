#pragma once
// GET /driver/watch: a long poll that returns as soon as one of the named chats changes, so the
// chat page shows the bot's messages and edits without reloading and without polling fast.
//
//   GET /driver/watch?chats=42:3,43:0&wait=25  ->  {"ok":true,"revisions":{"42":5,"43":0}}
//
// Each chat comes with the revision the caller last saw (GET /driver/chat/<id> tells it); the
// answer comes when one differs, after `wait` seconds (0..30, default 0), or when the server
// stops.

#include <cstdint>
#include <map>
#include <string>

#include <httplib.h>

#include "sandbox/world.hpp"

namespace lastcall::sandbox {

// "42:3,43:0" as chat id -> revision; driver_input_error for anything else or more than 100 chats.
std::map<int64_t, uint64_t> parse_watched_chats(const std::string& text);

void install_watch_routes(httplib::Server& http, const world& state);

}  // namespace lastcall::sandbox
