#pragma once
// Which received updates are new, being taken in, or done (in the inbox or handled), for both
// transports (actors/intake.hpp). Webhook requests arrive in parallel and out of order (update 11
// may be taken in before 10 arrives), so "done" cannot be a single offset: each durable id is
// remembered until Telegram can no longer send it again (it keeps an update for at most a day),
// and only then folded into the floor below which everything counts as done. Long polling keeps
// nothing (retention 0): once an id is durable the getUpdates offset passes it, and Telegram never
// sends it again.

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace lastcall::domain {

class intake_window {
 public:
  static constexpr int64_t default_retention_seconds = 26 * 3600;

  intake_window(int64_t stored_floor, const std::vector<int64_t>& durable_ids, int64_t now,
                int64_t retention_seconds = default_retention_seconds);

  enum class arrival { fresh, in_flight, done };
  // What an arriving update is; a fresh one is in flight from now on.
  arrival accept(int64_t update_id);
  void mark_durable(int64_t update_id, int64_t now);
  // Folds durable ids older than the retention into the floor, never past an update in flight.
  void prune(int64_t now);

  // Every update below it is done (or too old to be sent again): what the database keeps as the
  // offset, so the processed ids below it can be forgotten.
  int64_t floor() const { return floor_; }
  size_t in_flight() const { return in_flight_.size(); }
  size_t remembered() const { return durable_.size(); }

 private:
  int64_t floor_;
  int64_t retention_;
  std::set<int64_t> in_flight_;
  std::map<int64_t, int64_t> durable_;  // id -> when it became durable (Unix seconds)
};

}  // namespace lastcall::domain
