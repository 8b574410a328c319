#include "sandbox/update_queue.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "sandbox/bot_api_error.hpp"

namespace lastcall::sandbox {

namespace {

constexpr const char* poll_conflict =
    "terminated by other getUpdates request; make sure that only one bot instance is running";
constexpr const char* webhook_conflict =
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook "
    "first";

constexpr int max_updates_per_poll = 100;

std::string kind_of(const nlohmann::json& body) {
  if (!body.is_object()) return {};
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "update_id") return it.key();
  }
  return {};
}

}  // namespace

update_queue::update_queue(change_signal& signal, int64_t first_update_id)
    : signal_(signal), next_update_id_(first_update_id) {}

int64_t update_queue::reserve_id(std::optional<int64_t> given) {
  const int64_t id = given ? *given : next_update_id_;
  next_update_id_ = std::max(next_update_id_, id + 1);
  return id;
}

void update_queue::push(int64_t update_id, nlohmann::json body) {
  auto kind = kind_of(body);
  updates_.push_back({update_id, std::move(kind), std::move(body)});
  signal_.notify();
}

int64_t update_queue::add(const std::string& kind, nlohmann::json payload) {
  lock guard(mutex_);
  const auto update_id = reserve_id(std::nullopt);
  push(update_id, {{"update_id", update_id}, {kind, std::move(payload)}});
  return update_id;
}

int64_t update_queue::add_raw(nlohmann::json update) {
  lock guard(mutex_);
  const bool is_object = update.is_object();
  std::optional<int64_t> given;
  if (is_object && update.contains("update_id") && update["update_id"].is_number_integer()) {
    given = update["update_id"].get<int64_t>();
  }
  const auto update_id = reserve_id(given);
  if (is_object && !update.contains("update_id")) update["update_id"] = update_id;
  push(update_id, std::move(update));
  return update_id;
}

int64_t update_queue::add_with_id(nlohmann::json update) {
  if (!update.is_object() || !update.contains("update_id") ||
      !update["update_id"].is_number_integer()) {
    throw std::invalid_argument("the update must be an object with an integer update_id");
  }
  lock guard(mutex_);
  const auto update_id = reserve_id(update["update_id"].get<int64_t>());
  push(update_id, std::move(update));
  return update_id;
}

void update_queue::confirm_below(int64_t offset) {
  if (offset < 0) {
    // Telegram: a negative offset keeps only the last -offset updates.
    const auto keep = static_cast<size_t>(-offset);
    while (updates_.size() > keep) updates_.pop_front();
  } else {
    updates_.erase(std::remove_if(updates_.begin(), updates_.end(),
                                  [&](const queued_update& u) { return u.update_id < offset; }),
                   updates_.end());
  }
  signal_.notify();
}

bool update_queue::kind_allowed(const std::string& kind) const {
  if (kind.empty()) return true;  // malformed updates are delivered so the bot's parser meets them
  if (allowed_updates_) return allowed_updates_->count(kind) > 0;
  return kind != "chat_member" && kind != "message_reaction" && kind != "message_reaction_count";
}

void update_queue::drop_unwanted() {
  const auto before = updates_.size();
  updates_.erase(std::remove_if(updates_.begin(), updates_.end(),
                                [&](const queued_update& u) { return !kind_allowed(u.kind); }),
                 updates_.end());
  if (updates_.size() != before) signal_.notify();
}

nlohmann::json update_queue::poll(const get_updates_request& request) {
  lock guard(mutex_);
  if (webhook_active_) throw conflict(webhook_conflict);
  const auto generation = ++poll_generation_;
  signal_.notify();  // a poll still waiting learns that it has been overtaken
  if (request.offset != 0) confirm_below(request.offset);
  if (request.allowed_updates) set_allowed_updates_locked(*request.allowed_updates);

  const auto deadline = std::chrono::steady_clock::now() + request.timeout;
  bool counted_as_waiting = false;
  // Destroyed before `guard`, so the count changes under the lock on every way out.
  struct waiting_guard {
    update_queue& self;
    bool& counted;
    ~waiting_guard() {
      if (!counted) return;
      --self.waiting_polls_;
      self.signal_.notify();
    }
  } guard_waiting{*this, counted_as_waiting};

  for (;;) {
    // Read before the checks: a change made after them moves the generation on, so the wait
    // below returns at once rather than sleeping through it.
    const auto seen = signal_.generation();
    if (generation != poll_generation_) {
      ++polls_.overtaken;
      throw conflict(poll_conflict);
    }
    if (webhook_active_) throw conflict(webhook_conflict);
    drop_unwanted();
    if (!updates_.empty() || signal_.closed()) break;
    if (std::chrono::steady_clock::now() >= deadline) break;
    if (!counted_as_waiting) {
      counted_as_waiting = true;
      ++waiting_polls_;
      signal_.notify();
    }
    guard.unlock();
    signal_.wait_past(seen, deadline);
    guard.lock();
  }
  return answer(request.limit);
}

nlohmann::json update_queue::answer(int limit) {
  const auto most = static_cast<size_t>(std::clamp(limit, 1, max_updates_per_poll));
  auto result = nlohmann::json::array();
  for (const auto& update : updates_) {
    if (result.size() >= most) break;
    result.push_back(update.body);
    if (update.update_id > polls_.highest_delivered) {
      polls_.highest_delivered = update.update_id;
      ++polls_.first_deliveries;
    }
  }
  ++polls_.answers;
  polls_.delivered += result.size();
  if (result.empty()) ++polls_.empty_answers;
  return result;
}

void update_queue::visit_pending(
    const std::function<bool(int64_t update_id, const nlohmann::json& body)>& visit) {
  lock guard(mutex_);
  drop_unwanted();
  for (const auto& update : updates_) {
    if (!visit(update.update_id, update.body)) return;
  }
}

void update_queue::remove(int64_t update_id) {
  lock guard(mutex_);
  updates_.erase(std::remove_if(updates_.begin(), updates_.end(),
                                [&](const queued_update& u) { return u.update_id == update_id; }),
                 updates_.end());
  signal_.notify();
}

void update_queue::clear() {
  lock guard(mutex_);
  updates_.clear();
  signal_.notify();
}

void update_queue::set_webhook_active(bool active) {
  lock guard(mutex_);
  webhook_active_ = active;
  signal_.notify();
}

void update_queue::set_allowed_updates(const std::vector<std::string>& kinds) {
  lock guard(mutex_);
  set_allowed_updates_locked(kinds);
}

void update_queue::set_allowed_updates_locked(const std::vector<std::string>& kinds) {
  if (kinds.empty()) {
    allowed_updates_.reset();
  } else {
    allowed_updates_ = std::set<std::string>(kinds.begin(), kinds.end());
  }
}

std::optional<std::vector<std::string>> update_queue::allowed_updates() const {
  lock guard(mutex_);
  if (!allowed_updates_) return std::nullopt;
  return std::vector<std::string>(allowed_updates_->begin(), allowed_updates_->end());
}

size_t update_queue::size() const {
  lock guard(mutex_);
  return updates_.size();
}

std::vector<nlohmann::json> update_queue::bodies() const {
  lock guard(mutex_);
  std::vector<nlohmann::json> result;
  for (const auto& update : updates_) result.push_back(update.body);
  return result;
}

size_t update_queue::waiting_polls() const {
  lock guard(mutex_);
  return waiting_polls_;
}

poll_figures update_queue::figures() const {
  lock guard(mutex_);
  return polls_;
}

}  // namespace lastcall::sandbox
