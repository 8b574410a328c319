#pragma once
// The snapshot file: every durable piece of actor state at one position of the event log, as one
// JSON object an operator can read, copy and restore elsewhere:
//
//   {"format": "lastcall-snapshot", "version": 1, "event_seq": 4711, "taken_at": 1767261600,
//    "update_offset": 901, "processed_update_ids": [903],
//    "users": [...], "businesses": [...], "offers": [...], "reservations": [...],
//    "outbox": [{"chat_id": 5, "method": "sendMessage", "params": {...}, "priority": 1}]}
//
// Entities are images (persistence/snapshot_entities.hpp). `event_seq` is the last event the
// state includes: replaying the log's events after it brings the state up to date. `version`
// changes whenever an older reader would misread a file; a reader refuses a newer version rather
// than guess. Parsing checks everything a restore relies on before anything is written, so a bad
// file is refused with a message that says what is wrong and where.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/snapshot_entities.hpp"
#include "telegram/api_call.hpp"

namespace lastcall::persistence {

inline constexpr const char* snapshot_format_name = "lastcall-snapshot";
inline constexpr int snapshot_format_version = 1;

struct snapshot {
  int64_t event_seq = 0;  // the last event whose effects the state includes; 0: none
  int64_t taken_at = 0;   // Unix seconds
  entity_images entities;
  // Bot API calls committed but not yet confirmed sent when the snapshot was taken.
  std::vector<telegram::api_call> outbox;
  int64_t update_offset = 0;                  // the getUpdates offset: every update below is done
  std::vector<int64_t> processed_update_ids;  // done updates at or above the offset
};

std::string serialise_snapshot(const snapshot& s);

struct snapshot_parse_result {
  std::optional<snapshot> value;
  std::string error;  // one line saying why the text is not a usable snapshot; empty when it is
  bool ok() const { return value.has_value(); }
};

// Accepts only a complete, well-formed snapshot of a version this program knows, whose rows
// would satisfy the database's constraints (unique ids and pickup codes, offers of businesses in
// the file, reservations of offers in the file, non-negative amounts).
snapshot_parse_result parse_snapshot(std::string_view text);

}  // namespace lastcall::persistence
