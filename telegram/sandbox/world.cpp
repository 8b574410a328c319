#include "telegram/sandbox/world.hpp"

#include <utility>

#include "telegram/sandbox/bot_api_error.hpp"
#include "telegram/sandbox/bot_api_json.hpp"

namespace lastcall::sandbox {

world::world(world_options options)
    : bot_(std::move(options.bot)),
      next_update_id_(options.first_update_id),
      default_menu_button_({{"type", "default"}}),
      limiter_(options.limits, std::move(options.clock)) {
  faults_.limits = options.limits;
}

void world::changed() {
  changed_.notify_all();
}

int64_t world::now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

nlohmann::json world::message_json(const chat_state& chat, const chat_message& message) const {
  return sandbox::message_json(message, chat.user, bot_);
}

// ---- Reading

std::vector<chat_message> world::chat(int64_t chat_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return {};
  return it->second.messages;
}

std::vector<chat_message> world::bot_messages(int64_t chat_id) const {
  lock guard(mutex_);
  std::vector<chat_message> result;
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return result;
  for (const auto& message : it->second.messages) {
    if (message.from_bot) result.push_back(message);
  }
  return result;
}

size_t world::bot_message_count(int64_t chat_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return 0;
  size_t count = 0;
  for (const auto& message : it->second.messages) count += message.from_bot ? 1 : 0;
  return count;
}

std::optional<chat_message> world::message(int64_t chat_id, int64_t message_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return std::nullopt;
  for (const auto& message : it->second.messages) {
    if (message.message_id == message_id) return message;
  }
  return std::nullopt;
}

std::optional<user_profile> world::user(int64_t user_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(user_id);
  if (it == chats_.end()) return std::nullopt;
  return it->second.user;
}

bool world::is_blocked(int64_t user_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(user_id);
  return it != chats_.end() && it->second.blocked;
}

std::optional<callback_answer> world::answer(const std::string& query_id) const {
  lock guard(mutex_);
  const auto it = callbacks_.find(query_id);
  if (it == callbacks_.end()) return std::nullopt;
  return it->second;
}

nlohmann::json world::reply_keyboard(int64_t chat_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return nullptr;
  return it->second.reply_keyboard;
}

std::vector<std::string> world::my_commands(const std::string& language_code) const {
  lock guard(mutex_);
  std::vector<std::string> names;
  const auto it = commands_.find(language_code);
  if (it == commands_.end()) return names;
  for (const auto& command : it->second) names.push_back(command["command"].get<std::string>());
  return names;
}

nlohmann::json world::menu_button(int64_t chat_id) const {
  return bot_get_chat_menu_button(chat_id);
}

webhook_settings world::webhook() const {
  lock guard(mutex_);
  return webhook_;
}

std::map<std::string, uint64_t> world::method_calls() const {
  lock guard(mutex_);
  return calls_;
}

uint64_t world::calls(const std::string& method) const {
  lock guard(mutex_);
  const auto it = calls_.find(method);
  return it == calls_.end() ? 0 : it->second;
}

uint64_t world::rate_limited_count() const {
  lock guard(mutex_);
  return rate_limited_;
}

size_t world::pending_updates() const {
  lock guard(mutex_);
  return updates_.size();
}

std::vector<nlohmann::json> world::pending_update_list() const {
  lock guard(mutex_);
  std::vector<nlohmann::json> result;
  for (const auto& update : updates_) result.push_back(update.body);
  return result;
}

size_t world::waiting_polls() const {
  lock guard(mutex_);
  return waiting_polls_;
}

nlohmann::json world::stats() const {
  lock guard(mutex_);
  auto errors = nlohmann::json::object();
  for (const auto& [code, count] : errors_) errors[std::to_string(code)] = count;
  return {{"calls", calls_},
          {"errors", errors},
          {"rate_limited", rate_limited_},
          {"pending_updates", updates_.size()},
          {"waiting_polls", waiting_polls_},
          {"chats", chats_.size()},
          {"rate_limits",
           {{"per_chat_per_second", faults_.limits.per_chat_per_second},
            {"global_per_second", faults_.limits.global_per_second}}}};
}

nlohmann::json world::bot_settings() const {
  lock guard(mutex_);
  auto chat_buttons = nlohmann::json::object();
  for (const auto& [chat_id, button] : chat_menu_buttons_) {
    chat_buttons[std::to_string(chat_id)] = button;
  }
  return {{"bot", bot_user_json(bot_)},
          {"commands", commands_},
          {"menu_button", default_menu_button_},
          {"chat_menu_buttons", chat_buttons},
          {"webhook", bot_get_webhook_info()}};
}

// ---- Waiting

bool world::wait_until(const std::function<bool()>& predicate,
                       std::chrono::milliseconds timeout) const {
  lock guard(mutex_);
  return changed_.wait_for(guard, timeout, predicate);
}

std::optional<chat_message> world::wait_for_bot_message(int64_t chat_id, size_t after_count,
                                                        std::chrono::milliseconds timeout) const {
  std::optional<chat_message> found;
  wait_until(
      [&] {
        const auto it = chats_.find(chat_id);
        if (it == chats_.end()) return false;
        size_t index = 0;
        for (const auto& message : it->second.messages) {
          if (!message.from_bot) continue;
          if (index++ >= after_count) {
            found = message;
            return true;
          }
        }
        return false;
      },
      timeout);
  return found;
}

std::optional<callback_answer> world::wait_for_answer(const std::string& query_id,
                                                      std::chrono::milliseconds timeout) const {
  std::optional<callback_answer> found;
  wait_until(
      [&] {
        const auto it = callbacks_.find(query_id);
        if (it == callbacks_.end() || !it->second.answered) return false;
        found = it->second;
        return true;
      },
      timeout);
  return found;
}

// ---- Faults and bookkeeping

void world::set_rate_limits(rate_limits limits) {
  lock guard(mutex_);
  faults_.limits = limits;
  limiter_.set_limits(limits);
  changed();
}

void world::admit(const std::string& method, bool flood_controlled, int64_t chat_id) {
  lock guard(mutex_);
  ++calls_[method];
  if (flood_controlled) {
    const int retry_after = limiter_.admit(chat_id);
    if (retry_after > 0) {
      ++rate_limited_;
      changed();
      throw too_many_requests(retry_after);
    }
  }
  changed();
}

void world::record_error(int error_code) {
  lock guard(mutex_);
  ++errors_[error_code];
  changed();
}

void world::close() {
  lock guard(mutex_);
  closed_ = true;
  changed();
}

void world::reopen() {
  lock guard(mutex_);
  closed_ = false;
  changed();
}

}  // namespace lastcall::sandbox
