#include "sandbox/webhook_delivery.hpp"

#include <algorithm>

#include "sandbox/bot_api_error.hpp"

namespace lastcall::sandbox {

namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool valid_secret_token(const std::string& token) {
  if (token.size() > 256) return false;
  return std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

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

webhook_delivery::webhook_delivery(change_signal& signal, update_queue& updates)
    : signal_(signal), updates_(updates) {}

std::string webhook_delivery::set(const webhook_settings& settings, bool drop_pending_updates) {
  if (settings.url.empty()) return remove(drop_pending_updates);
  if (!starts_with(settings.url, "https://") && !starts_with(settings.url, "http://")) {
    throw bad_request("bad webhook: An HTTPS URL must be provided for webhook");
  }
  if (!valid_secret_token(settings.secret_token)) {
    throw bad_request("bad webhook: secret token contains unallowed characters");
  }
  lock guard(mutex_);
  const bool same = webhook_.url == settings.url && webhook_.secret_token == settings.secret_token;
  const auto previous_allowed = webhook_.allowed_updates;
  webhook_ = settings;
  webhook_.max_connections = std::clamp(settings.max_connections, 1, 100);
  if (settings.allowed_updates) {
    updates_.set_allowed_updates(*settings.allowed_updates);
  } else {
    webhook_.allowed_updates = previous_allowed;
  }
  updates_.set_webhook_active(true);
  if (drop_pending_updates) updates_.clear();
  webhook_set_.notify_all();
  signal_.notify();
  return same ? "Webhook is already set" : "Webhook was set";
}

std::string webhook_delivery::remove(bool drop_pending_updates) {
  lock guard(mutex_);
  const bool had_webhook = !webhook_.url.empty();
  webhook_ = webhook_settings{};
  updates_.set_webhook_active(false);
  if (drop_pending_updates) updates_.clear();
  signal_.notify();
  return had_webhook ? "Webhook was deleted" : "Webhook is already deleted";
}

nlohmann::json webhook_delivery::info() const {
  lock guard(mutex_);
  nlohmann::json info = {{"url", webhook_.url},
                         {"has_custom_certificate", false},
                         {"pending_update_count", updates_.size()}};
  if (!webhook_.url.empty()) {
    info["max_connections"] = webhook_.max_connections;
    if (auto allowed = updates_.allowed_updates()) info["allowed_updates"] = std::move(*allowed);
  }
  return info;
}

webhook_settings webhook_delivery::settings() const {
  lock guard(mutex_);
  return webhook_;
}

std::optional<webhook_job> webhook_delivery::take(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    // Read before looking: a change made after the look moves it on and ends the wait at once.
    const auto seen = signal_.generation();
    if (signal_.closed()) return std::nullopt;
    {
      // Without a webhook only setWebhook can bring work: the senders sleep until it does instead
      // of waking on every change of the world (every message and call of a polling bot).
      lock guard(mutex_);
      if (webhook_.url.empty()) {
        if (!webhook_set_.wait_until(guard, deadline, [&] { return !webhook_.url.empty(); }))
          return std::nullopt;
        continue;
      }
    }
    if (auto job = take_now()) return job;
    if (!signal_.wait_past(seen, deadline)) return std::nullopt;
  }
}

std::optional<webhook_job> webhook_delivery::take_now() {
  lock guard(mutex_);
  if (webhook_.url.empty()) return std::nullopt;
  std::optional<webhook_job> job;
  updates_.visit_pending([&](int64_t update_id, const nlohmann::json& body) {
    if (out_.count(update_id)) return true;
    const auto user = user_of(body);
    const bool user_busy = user != 0 && std::any_of(out_.begin(), out_.end(), [&](const auto& out) {
                             return out.second == user;
                           });
    if (user_busy) return true;
    const bool at_capacity =
        out_.size() >= static_cast<size_t>(std::max(1, webhook_.max_connections));
    if (at_capacity) return false;
    out_[update_id] = user;
    job = webhook_job{update_id, body, webhook_.url, webhook_.secret_token};
    return false;
  });
  return job;
}

void webhook_delivery::delivered(int64_t update_id) {
  lock guard(mutex_);
  out_.erase(update_id);
  ++deliveries_;
  updates_.remove(update_id);
  signal_.notify();
}

void webhook_delivery::failed(int64_t update_id) {
  lock guard(mutex_);
  out_.erase(update_id);
  ++failures_;
  signal_.notify();
}

uint64_t webhook_delivery::deliveries() const {
  lock guard(mutex_);
  return deliveries_;
}

uint64_t webhook_delivery::failures() const {
  lock guard(mutex_);
  return failures_;
}

}  // namespace lastcall::sandbox
