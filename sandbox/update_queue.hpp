#pragma once
// The bot's pending updates, as Telegram keeps them: numbered in order, filtered by the bot's
// allowed_updates, confirmed by getUpdates offsets or webhook answers, and read either by
// getUpdates long polls or by webhook delivery, never both (a getUpdates while a webhook is set is
// a 409, as is one overtaken by a newer getUpdates).
//
// Its own mutex guards it. It takes no other part's lock, so any part may call it while holding
// its own; every change is announced on the shared change_signal.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/change_signal.hpp"

namespace lastcall::sandbox {

struct get_updates_request {
  int64_t offset = 0;  // 0: from the first pending update
  int limit = 100;
  std::chrono::milliseconds timeout{0};
  std::optional<std::vector<std::string>> allowed_updates;  // absent: keep the previous setting
};

// What getUpdates answered so far: how much of each answer was news to the bot.
struct poll_figures {
  uint64_t answers = 0;           // getUpdates calls answered with updates or none
  uint64_t empty_answers = 0;     // answered with none
  uint64_t delivered = 0;         // updates in the answers, repeats included
  uint64_t first_deliveries = 0;  // updates the bot had not been given before
  int64_t highest_delivered = 0;  // the highest update_id given so far
  uint64_t overtaken = 0;         // polls ended by a newer getUpdates (409): two consumers
};

class update_queue {
 public:
  update_queue(change_signal& signal, int64_t first_update_id);
  update_queue(const update_queue&) = delete;
  update_queue& operator=(const update_queue&) = delete;

  // Queues {"update_id": <next id>, kind: payload}; returns the id.
  int64_t add(const std::string& kind, nlohmann::json payload);
  // Queues `update` verbatim (malformed ones included), adding update_id only when it has none.
  int64_t add_raw(nlohmann::json update);
  // Queues `update` with the update_id it carries, even one seen before. std::invalid_argument
  // when it carries none.
  int64_t add_with_id(nlohmann::json update);

  // getUpdates: confirms what lies below the offset, then waits up to the timeout for an update
  // (or a close of the signal). Throws the 409s.
  nlohmann::json poll(const get_updates_request& request);

  // Visits the pending updates the bot wants, oldest first, under the queue's lock, until `visit`
  // returns false. For webhook delivery, which picks one without copying the queue.
  void visit_pending(
      const std::function<bool(int64_t update_id, const nlohmann::json& body)>& visit);
  void remove(int64_t update_id);  // confirmed by a webhook answer
  void clear();                    // drop_pending_updates

  // While set, getUpdates is a 409: the webhook reads the queue.
  void set_webhook_active(bool active);
  // Telegram: an empty list restores the default set.
  void set_allowed_updates(const std::vector<std::string>& kinds);
  // Absent: Telegram's default set.
  std::optional<std::vector<std::string>> allowed_updates() const;

  size_t size() const;
  std::vector<nlohmann::json> bodies() const;
  size_t waiting_polls() const;  // getUpdates calls blocked right now
  poll_figures figures() const;

 private:
  struct queued_update {
    int64_t update_id = 0;
    std::string kind;  // "message", "callback_query", ...; empty when the update has no payload
    nlohmann::json body;
  };

  using lock = std::unique_lock<std::mutex>;

  int64_t reserve_id(std::optional<int64_t> given);
  void push(int64_t update_id, nlohmann::json body);
  void confirm_below(int64_t offset);
  void set_allowed_updates_locked(const std::vector<std::string>& kinds);
  void drop_unwanted();
  bool kind_allowed(const std::string& kind) const;
  nlohmann::json answer(int limit);

  change_signal& signal_;
  mutable std::mutex mutex_;
  std::deque<queued_update> updates_;
  int64_t next_update_id_;
  std::optional<std::set<std::string>> allowed_updates_;
  bool webhook_active_ = false;
  poll_figures polls_;
  uint64_t poll_generation_ = 0;
  size_t waiting_polls_ = 0;
};

}  // namespace lastcall::sandbox
