#pragma once
// Replaying the event log after a snapshot's position. Each batch's last event carries the
// after-images of the rows that batch upserted (events.state, see persistence/writer.hpp), so
// applying the images of every event after the position, in seq order and with the writer's
// version guard, leaves the tables exactly as the live writes did: the guard keeps the highest
// version of each row, and of equal versions the row written first.

#include <cstddef>
#include <cstdint>
#include <map>

#include <pqxx/transaction_base>

#include "persistence/snapshot_entities.hpp"

namespace lastcall::persistence {

// Folds images in log order the way the version guard treats them, so a long log becomes one
// write per row: a later image replaces an earlier one only with a higher version.
class image_fold {
 public:
  void add(const entity_images& images);
  size_t size() const {
    return users_.size() + businesses_.size() + offers_.size() + reservations_.size();
  }
  // The surviving image of every entity, in id order.
  entity_images result() const;

 private:
  std::map<int64_t, domain::user_record> users_;
  std::map<int64_t, domain::business> businesses_;
  std::map<int64_t, domain::offer> offers_;
  std::map<int64_t, domain::reservation> reservations_;
};

struct replay_report {
  int64_t events = 0;    // events after the position
  int64_t last_seq = 0;  // the last of them; 0 when there were none
  size_t rows = 0;       // entity rows written
};

// Reads the events with seq > after_seq from `log` in seq order (through a cursor: the log may be
// long) and applies their images to the tables in `target`. With copy_events the events are also
// inserted into target's events table with their seq, time and payload, so the target's log goes
// on from where the source's was; `log` and `target` must then be different transactions. A
// malformed image throws image_error naming the event.
replay_report replay_log(pqxx::transaction_base& log, pqxx::transaction_base& target,
                         int64_t after_seq, bool copy_events);

}  // namespace lastcall::persistence
