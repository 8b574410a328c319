#pragma once
// Turns the Bot API's update JSON into typed updates. Telegram's JSON is trusted to be well formed,
// not to be complete: a field the bot relies on that is missing or of the wrong type makes that one
// update malformed, and nothing here throws.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "telegram/types.hpp"

namespace lastcall::telegram {

struct parsed_updates {
  std::vector<update> updates;     // in the order received, malformed ones left out
  std::vector<std::string> texts;  // beside `updates`: each one's JSON, to be stored as received
  std::vector<int64_t> unreadable_ids;  // malformed entries whose update_id could be read
  int64_t max_update_id = 0;  // highest update_id seen, malformed updates included; 0 when none
  int malformed = 0;          // entries skipped
};

// Parses the "result" array of getUpdates (or a webhook batch). Malformed entries are counted and
// logged (with their update_id when readable, never their content), and their update_id still
// counts toward max_update_id so that the next offset moves past them instead of fetching them
// forever. A value that is not an array counts as one malformed entry.
parsed_updates parse_updates(const nlohmann::json& result_array);

// Parses one update. On failure returns nullopt and, when `error` is given, sets it to the path of
// the offending field and what was expected there ("message.chat.id: expected an integer"); the
// error never quotes a value.
std::optional<update> parse_update(const nlohmann::json& json, std::string* error = nullptr);

// The same for an update's JSON text (a webhook body, an update kept in the inbox); text that is
// not JSON fails the same way.
std::optional<update> parse_update_text(const std::string& text, std::string* error = nullptr);

}  // namespace lastcall::telegram
