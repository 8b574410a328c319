#pragma once
// How logs name a user: "u" and 16 hex digits of HMAC-SHA256 under a key of this installation,
// the same for one user in every line and every run, but not their Telegram id. Without the key
// nobody can tell whose lines they are, nor test a guessed id (Telegram ids are few enough to try
// them all against a plain hash); with it an operator finds one user's lines:
// `lastcall user-ref ID`.

#include <cstdint>
#include <string>

namespace lastcall::logs {

std::string user_reference(int64_t user_id);

// The key for the rest of the process; set it before any thread logs. Until then a random one
// made at the first reference is used (references then hold for this process only).
void set_user_reference_key(std::string key);

// LOG_USER_KEY when it is set (nodes of one market share it), else the key kept in
// `data_dir`/log-user-key, made at random (readable by its owner only) the first time. Throws
// std::runtime_error when that file can be neither read nor made.
std::string user_reference_key(const std::string& configured, const std::string& data_dir);

}  // namespace lastcall::logs
