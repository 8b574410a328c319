#pragma once
// Restoring a snapshot into an empty database and bringing it up to date from the event log. All
// of it happens in one transaction: a refused or failed restore leaves the target as it was.
//
// The snapshot's unsent outbox calls are restored only when the log holds nothing after the
// snapshot. When it does, the server went on working after the snapshot and had, in all
// likelihood, sent them; sending them again from the restored database would repeat messages
// users already read. Without later events the snapshot is the newest state known, and resending
// is the outbox's usual promise (at least once).

#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include <pqxx/connection>

#include "persistence/replay.hpp"
#include "persistence/snapshot_format.hpp"

namespace lastcall::persistence {

// The target cannot take the snapshot (it holds a market already, or its log overlaps the one
// to copy). what() says why in one line.
class restore_refused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct restore_report {
  size_t users = 0, businesses = 0, offers = 0, reservations = 0;  // rows from the snapshot
  size_t outbox = 0;                                               // calls restored
  replay_report replayed;                                          // the log after the snapshot
};

// `target` must be migrated and hold no users, businesses, offers or reservations. The log after
// s.event_seq is read from `log_source` and its events copied into the target; without a source
// it is read from the target's own events table, which keeps its log. Throws restore_refused, or
// what the database or a malformed image in the log throws.
restore_report restore_snapshot(pqxx::connection& target, const snapshot& s,
                                pqxx::connection* log_source = nullptr);

}  // namespace lastcall::persistence
