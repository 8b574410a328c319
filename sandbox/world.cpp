#include "sandbox/world.hpp"

#include <memory>
#include <stdexcept>
#include <utility>

#include "sandbox/bot_api_error.hpp"
#include "sandbox/bot_api_json.hpp"

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

poll_figures world::polls() const {
  lock guard(mutex_);
  return polls_;
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
          {"get_updates",
           {{"answers", polls_.answers},
            {"empty_answers", polls_.empty_answers},
            {"delivered", polls_.delivered},
            {"first_deliveries", polls_.first_deliveries}}},
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

std::map<int64_t, uint64_t> world::wait_for_chat_changes(const std::map<int64_t, uint64_t>& known,
                                                         std::chrono::milliseconds timeout) const {
  const auto differs = [&] {
    for (const auto& [chat_id, revision] : known) {
      if (revision_of(chat_id) != revision) return true;
    }
    return false;
  };
  wait_until([&] { return closed_ || differs(); }, timeout);
  lock guard(mutex_);
  std::map<int64_t, uint64_t> revisions;
  for (const auto& entry : known) revisions[entry.first] = revision_of(entry.first);
  return revisions;
}

// ---- The chat page's additions: kept images, opened chats, revisions

sent_photo world::send_photo_file(const user_profile& user, const std::string& caption,
                                  photo_file image) {
  lock guard(mutex_);
  chat_message message;
  message.photo = new_photo();
  message.photo_file_id = message.photo.back().file_id;
  message.caption = caption;
  // Shared by the sizes: an upload is kept once, however many file_ids name it.
  const auto kept = std::make_shared<const photo_file>(std::move(image));
  for (const auto& size : message.photo) photo_files_[size.file_id] = kept;
  sent_photo sent;
  sent.file_id = message.photo_file_id;
  sent.update_id = add_user_message(user, std::move(message));
  return sent;
}

void world::open_chat_with(const user_profile& user) {
  if (user.id <= 0) throw std::invalid_argument("user id must be a positive integer");
  lock guard(mutex_);
  if (chats_.count(user.id) != 0) return;
  auto& chat = open_chat(user);
  if (chat.user.first_name.empty()) chat.user.first_name = "User";
  changed();
}

std::optional<photo_file> world::photo_file_of(const std::string& file_id) const {
  lock guard(mutex_);
  if (const auto kept = photo_files_.find(file_id); kept != photo_files_.end()) {
    return *kept->second;
  }
  if (photos_.count(file_id) != 0) return photo_file{};
  return std::nullopt;
}

uint64_t world::chat_revision(int64_t chat_id) const {
  lock guard(mutex_);
  return revision_of(chat_id);
}

// Messages are never removed and edit counts only grow, so their sum grows with every change.
uint64_t world::revision_of(int64_t chat_id) const {
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return 0;
  uint64_t revision = it->second.messages.size();
  for (const auto& message : it->second.messages) revision += message.edit_count;
  return revision;
}

// ---- Faults and bookkeeping

void world::set_rate_limits(rate_limits limits) {
  lock guard(mutex_);
  faults_.limits = limits;
  limiter_.set_limits(limits);
  changed();
}

fault_decision world::admit(const std::string& method, bool flood_controlled, int64_t chat_id) {
  lock guard(mutex_);
  ++calls_[method];
  const auto fault = faults_.injector.decide(method);
  if (fault.kind == fault_kind::server_error) {
    changed();
    throw bot_api_error(500, "Internal Server Error");
  }
  if (fault.kind == fault_kind::too_many_requests) {
    changed();
    throw too_many_requests(std::max(1, fault.retry_after_seconds));
  }
  if (fault.kind == fault_kind::drop_connection || fault.kind == fault_kind::malformed_body) {
    changed();
    return fault;
  }
  if (flood_controlled) {
    const int retry_after = limiter_.admit(chat_id);
    if (retry_after > 0) {
      ++rate_limited_;
      changed();
      throw too_many_requests(retry_after);
    }
  }
  changed();
  return fault;
}

void world::set_faults(fault_plan plan) {
  lock guard(mutex_);
  faults_.injector.set_plan(std::move(plan));
  changed();
}

fault_plan world::fault_settings() const {
  lock guard(mutex_);
  return faults_.injector.plan();
}

std::map<std::string, uint64_t> world::injected_faults() const {
  lock guard(mutex_);
  return faults_.injector.injected();
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
