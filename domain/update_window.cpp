#include "domain/update_window.hpp"

#include <algorithm>

namespace lastcall::domain {

update_window::update_window(int64_t stored_offset, const std::vector<int64_t>& durable_ids)
    : floor_(stored_offset), next_unseen_(stored_offset) {
  // Durable ids above the stored offset do not move the offset: the updates between them were in
  // flight when the process stopped, and Telegram still has them only while the offset stays below
  // them.
  for (auto id : durable_ids)
    if (id >= floor_) durable_.insert(id);
}

int64_t update_window::offset() const {
  return in_flight_.empty() ? std::max(floor_, next_unseen_) : *in_flight_.begin();
}

bool update_window::accept(int64_t update_id) {
  if (update_id < floor_ || in_flight_.count(update_id)) return false;
  if (durable_.count(update_id)) {
    // Seen again: Telegram sends updates in order, so every update below it in this answer was seen
    // too.
    next_unseen_ = std::max(next_unseen_, update_id + 1);
    prune();
    return false;
  }
  in_flight_.insert(update_id);
  next_unseen_ = std::max(next_unseen_, update_id + 1);
  return true;
}

void update_window::mark_durable(int64_t update_id) {
  if (update_id < floor_) return;
  in_flight_.erase(update_id);
  durable_.insert(update_id);
  next_unseen_ = std::max(next_unseen_, update_id + 1);
  prune();
}

void update_window::prune() {
  // Durable ids below the first one still in flight no longer need remembering: the offset covers
  // them.
  int64_t new_floor = offset();
  durable_.erase(durable_.begin(), durable_.lower_bound(new_floor));
  floor_ = std::max(floor_, new_floor);
}

}  // namespace lastcall::domain
