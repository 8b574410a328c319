#include <algorithm>

#include "sandbox/world.hpp"

namespace lastcall::sandbox {

namespace {

int64_t user_of(const nlohmann::json& body) {
  for (const char* kind : {"message", "edited_message", "callback_query"}) {
    if (!body.contains(kind) || !body[kind].is_object()) continue;
    const auto& payload = body[kind];
    if (payload.contains("from") && payload["from"].is_object() &&
        payload["from"].value("id", nlohmann::json()).is_number_integer())
      return payload["from"]["id"].get<int64_t>();
  }
  return 0;
}

}  // namespace

std::optional<webhook_job> world::take_webhook_job(std::chrono::milliseconds timeout) {
  lock guard(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (closed_) return std::nullopt;
    if (!webhook_.url.empty()) {
      drop_unwanted_updates();
      for (const auto& update : updates_) {
        if (webhook_out_.count(update.update_id)) continue;
        const auto user = user_of(update.body);
        const bool user_busy =
            user != 0 && std::any_of(webhook_out_.begin(), webhook_out_.end(),
                                     [&](const auto& out) { return out.second == user; });
        if (user_busy) continue;
        const bool at_capacity =
            webhook_out_.size() >= static_cast<size_t>(std::max(1, webhook_.max_connections));
        if (at_capacity) break;
        webhook_out_[update.update_id] = user;
        return webhook_job{update.update_id, update.body, webhook_.url, webhook_.secret_token};
      }
    }
    if (changed_.wait_until(guard, deadline) == std::cv_status::timeout) return std::nullopt;
  }
}

void world::webhook_delivered(int64_t update_id) {
  lock guard(mutex_);
  webhook_out_.erase(update_id);
  ++webhook_deliveries_;
  updates_.erase(std::remove_if(updates_.begin(), updates_.end(),
                                [&](const queued_update& u) { return u.update_id == update_id; }),
                 updates_.end());
  changed();
}

void world::webhook_failed(int64_t update_id) {
  lock guard(mutex_);
  webhook_out_.erase(update_id);
  ++webhook_failures_;
  changed();
}

uint64_t world::webhook_deliveries() const {
  lock guard(mutex_);
  return webhook_deliveries_;
}

uint64_t world::webhook_failures() const {
  lock guard(mutex_);
  return webhook_failures_;
}

}  // namespace lastcall::sandbox
