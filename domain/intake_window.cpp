#include "domain/intake_window.hpp"

namespace lastcall::domain {

intake_window::intake_window(int64_t stored_floor, const std::vector<int64_t>& durable_ids,
                             int64_t now, int64_t retention_seconds)
    : floor_(stored_floor), retention_(retention_seconds) {
  // When each stored id became durable is not kept; counting from now only keeps them longer.
  for (auto id : durable_ids)
    if (id >= floor_) durable_[id] = now;
}

intake_window::arrival intake_window::accept(int64_t update_id) {
  if (update_id < floor_ || durable_.count(update_id)) return arrival::done;
  if (!in_flight_.insert(update_id).second) return arrival::in_flight;
  return arrival::fresh;
}

void intake_window::mark_durable(int64_t update_id, int64_t now) {
  in_flight_.erase(update_id);
  if (update_id >= floor_) durable_[update_id] = now;
}

void intake_window::prune(int64_t now) {
  const int64_t limit = in_flight_.empty() ? INT64_MAX : *in_flight_.begin();
  while (!durable_.empty()) {
    auto oldest = durable_.begin();
    if (oldest->first >= limit || now - oldest->second < retention_) break;
    floor_ = oldest->first + 1;
    durable_.erase(oldest);
  }
}

}  // namespace lastcall::domain
