#pragma once
// Which updates the bot has handed out and which are durable, and so which getUpdates offset is
// safe: the offset must never pass an update whose effects are not committed, because Telegram
// forgets every update below the offset it is given.

#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

namespace lastcall::domain {

class update_window {
 public:
  update_window(int64_t stored_offset, const std::vector<int64_t>& durable_ids);

  // The offset to ask with: every update below it is durable.
  int64_t offset() const;

  // True when the update is new and should be handled; false for one below the offset, one in
  // flight, or one already durable (a re-delivery or a duplicate).
  bool accept(int64_t update_id);

  // The update's effects are committed.
  void mark_durable(int64_t update_id);

  size_t in_flight() const { return in_flight_.size(); }

 private:
  void prune();

  int64_t floor_;        // every update below it is durable
  int64_t next_unseen_;  // one past the highest update id seen
  std::set<int64_t> in_flight_;
  std::set<int64_t> durable_;  // durable ids at or above floor_
};

}  // namespace lastcall::domain
