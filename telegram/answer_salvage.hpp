#pragma once
// Reads what can be read of a Bot API answer that is not valid JSON as a whole. Telegram has sent
// texts cut between the two halves of a UTF-16 surrogate pair ("\ud800" alone), which a strict
// parser refuses; one such update must not make the whole getUpdates answer unreadable, or polling
// stops for good.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lastcall::telegram {

struct salvaged_answer {
  nlohmann::json
      answer;  // the object, with the members and result entries that did not parse left out
  std::vector<int64_t> dropped_update_ids;  // result entries left out whose update_id was readable
  int dropped_entries = 0;                  // result entries left out, with or without an id
};

// Splits the body along its JSON structure (strings, objects, arrays) without decoding it, then
// parses each top-level member, and each entry of a "result" array, on its own. A body whose
// structure is broken (cut short, not an object) gives nullopt: nothing in it can be trusted.
std::optional<salvaged_answer> salvage_answer(const std::string& body);

}  // namespace lastcall::telegram
