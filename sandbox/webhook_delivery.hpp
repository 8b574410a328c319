#pragma once
// The bot's webhook: its setWebhook settings and the updates out to it right now. Like Telegram,
// one user's updates go out one at a time and in order, different users' in parallel, at most
// max_connections at once (webhook_sender.hpp does the POSTs).
//
// Its own mutex guards it. It reads and confirms updates in the update_queue while holding that
// mutex (the order is always webhook delivery, then queue), so a taken update cannot be taken
// twice and a new setting reaches the queue before any other call sees it.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/change_signal.hpp"
#include "sandbox/update_queue.hpp"

namespace lastcall::sandbox {

struct webhook_settings {
  std::string url;  // empty: no webhook
  std::string secret_token;
  std::optional<std::vector<std::string>> allowed_updates;  // absent: keep the previous setting
  int max_connections = 40;
};

// One update for the webhook sender to POST.
struct webhook_job {
  int64_t update_id = 0;
  nlohmann::json body;
  std::string url;
  std::string secret_token;
};

class webhook_delivery {
 public:
  webhook_delivery(change_signal& signal, update_queue& updates);
  webhook_delivery(const webhook_delivery&) = delete;
  webhook_delivery& operator=(const webhook_delivery&) = delete;

  // setWebhook and deleteWebhook; return Telegram's description of what happened ("Webhook was
  // set", ...).
  std::string set(const webhook_settings& settings, bool drop_pending_updates);
  std::string remove(bool drop_pending_updates);
  nlohmann::json info() const;  // getWebhookInfo
  webhook_settings settings() const;

  // The oldest pending update whose user has none out, marked out; waits up to `timeout` for one.
  // Nothing while no webhook is set or the signal is closed.
  std::optional<webhook_job> take(std::chrono::milliseconds timeout);
  // The bot answered 2xx: the update is confirmed and forgotten.
  void delivered(int64_t update_id);
  // Any other answer or none: the update stays pending and is sent again.
  void failed(int64_t update_id);
  uint64_t deliveries() const;  // 2xx answers so far
  uint64_t failures() const;

 private:
  using lock = std::unique_lock<std::mutex>;

  std::optional<webhook_job> take_now();

  change_signal& signal_;
  update_queue& updates_;
  mutable std::mutex mutex_;
  std::condition_variable webhook_set_;  // a webhook was set: senders waiting without one wake
  webhook_settings webhook_;
  std::map<int64_t, int64_t> out_;  // update_id -> its user (0: none) while out
  uint64_t deliveries_ = 0;
  uint64_t failures_ = 0;
};

}  // namespace lastcall::sandbox
