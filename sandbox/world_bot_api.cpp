// The world's Bot API side: the methods the bot calls, with Telegram's semantics and error wording.

#include <algorithm>
#include <utility>

#include "sandbox/bot_api_error.hpp"
#include "sandbox/bot_api_json.hpp"
#include "sandbox/bot_api_rules.hpp"
#include "sandbox/world.hpp"

namespace lastcall::sandbox {

namespace {

constexpr const char* poll_conflict =
    "terminated by other getUpdates request; make sure that only one bot instance is running";
constexpr const char* webhook_conflict =
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook "
    "first";
constexpr const char* not_modified =
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message";
constexpr const char* invalid_query =
    "query is too old and response timeout expired or query ID is invalid";

constexpr int max_updates_per_poll = 100;

void require_chat_id(int64_t chat_id) {
  if (chat_id == 0) throw bad_request("chat_id is empty");
}

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

}  // namespace

world::chat_state& world::chat_for_bot(int64_t chat_id) {
  require_chat_id(chat_id);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) throw bad_request("chat not found");
  return it->second;
}

world::edit_target world::message_to_edit(int64_t chat_id, int64_t message_id) {
  auto& chat = chat_for_bot(chat_id);
  const auto message =
      std::find_if(chat.messages.begin(), chat.messages.end(),
                   [&](const chat_message& m) { return m.message_id == message_id; });
  if (message == chat.messages.end()) throw bad_request("message to edit not found");
  if (!message->from_bot) throw bad_request("message can't be edited");
  return {chat, *message};
}

nlohmann::json world::add_bot_message(chat_state& chat, chat_message message) {
  message.message_id = chat.next_message_id++;
  message.from_bot = true;
  message.date = now_unix();
  if (is_reply_keyboard(message.reply_markup)) chat.reply_keyboard = message.reply_markup;
  if (removes_keyboard(message.reply_markup)) chat.reply_keyboard = nullptr;
  chat.messages.push_back(std::move(message));
  changed();
  return message_json(chat, chat.messages.back());
}

void world::mark_edited(chat_message& message) {
  ++message.edit_count;
  message.edit_date = now_unix();
  changed();
}

nlohmann::json world::bot_get_me() const {
  auto me = bot_user_json(bot_);
  me["can_join_groups"] = true;
  me["can_read_all_group_messages"] = false;
  me["supports_inline_queries"] = false;
  return me;
}

// ---- Updates

void world::confirm_below(int64_t offset) {
  if (offset < 0) {
    // Telegram: a negative offset keeps only the last -offset updates.
    const auto keep = static_cast<size_t>(-offset);
    while (updates_.size() > keep) updates_.pop_front();
  } else {
    updates_.erase(std::remove_if(updates_.begin(), updates_.end(),
                                  [&](const queued_update& u) { return u.update_id < offset; }),
                   updates_.end());
  }
  changed();
}

void world::apply_allowed_updates(const std::vector<std::string>& kinds) {
  // Telegram: an empty list restores the default set.
  if (kinds.empty()) {
    allowed_updates_.reset();
  } else {
    allowed_updates_ = std::set<std::string>(kinds.begin(), kinds.end());
  }
}

bool world::kind_allowed(const std::string& kind) const {
  if (kind.empty()) return true;  // malformed updates are delivered so the bot's parser meets them
  if (allowed_updates_) return allowed_updates_->count(kind) > 0;
  return kind != "chat_member" && kind != "message_reaction" && kind != "message_reaction_count";
}

void world::drop_unwanted_updates() {
  const auto before = updates_.size();
  updates_.erase(std::remove_if(updates_.begin(), updates_.end(),
                                [&](const queued_update& u) { return !kind_allowed(u.kind); }),
                 updates_.end());
  if (updates_.size() != before) changed();
}

nlohmann::json world::bot_get_updates(const get_updates_request& request) {
  lock guard(mutex_);
  if (!webhook_.url.empty()) throw conflict(webhook_conflict);
  const auto generation = ++poll_generation_;
  changed();  // a poll still waiting learns that it has been overtaken
  if (request.offset != 0) confirm_below(request.offset);
  if (request.allowed_updates) apply_allowed_updates(*request.allowed_updates);

  const auto deadline = std::chrono::steady_clock::now() + request.timeout;
  bool counted_as_waiting = false;
  struct waiting_guard {
    world& self;
    bool& counted;
    ~waiting_guard() {
      if (!counted) return;
      --self.waiting_polls_;
      self.changed();
    }
  } guard_waiting{*this, counted_as_waiting};

  for (;;) {
    if (generation != poll_generation_) throw conflict(poll_conflict);
    if (!webhook_.url.empty()) throw conflict(webhook_conflict);
    drop_unwanted_updates();
    if (!updates_.empty() || closed_) break;
    if (std::chrono::steady_clock::now() >= deadline) break;
    if (!counted_as_waiting) {
      counted_as_waiting = true;
      ++waiting_polls_;
      changed();
    }
    changed_.wait_until(guard, deadline);
  }

  const auto limit = static_cast<size_t>(std::clamp(request.limit, 1, max_updates_per_poll));
  auto result = nlohmann::json::array();
  for (const auto& update : updates_) {
    if (result.size() >= limit) break;
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

// ---- Messages

nlohmann::json world::bot_send_message(int64_t chat_id, const std::string& text,
                                       const nlohmann::json& reply_markup) {
  lock guard(mutex_);
  require_chat_id(chat_id);
  check_message_text(text);
  chat_message message;
  message.text = text;
  message.reply_markup = parse_reply_markup(reply_markup);
  auto& chat = chat_for_bot(chat_id);
  if (chat.blocked) throw forbidden("bot was blocked by the user");
  return add_bot_message(chat, std::move(message));
}

nlohmann::json world::bot_send_photo(int64_t chat_id, const std::string& photo,
                                     const std::string& caption,
                                     const nlohmann::json& reply_markup) {
  lock guard(mutex_);
  require_chat_id(chat_id);
  if (photo.empty()) throw bad_request("there is no photo in the request");
  check_caption(caption);
  chat_message message;
  message.caption = caption;
  message.reply_markup = parse_reply_markup(reply_markup);
  auto& chat = chat_for_bot(chat_id);
  if (chat.blocked) throw forbidden("bot was blocked by the user");
  message.photo = photo_for(photo);
  message.photo_file_id = message.photo.back().file_id;
  return add_bot_message(chat, std::move(message));
}

nlohmann::json world::bot_edit_message_text(int64_t chat_id, int64_t message_id,
                                            const std::string& text,
                                            const nlohmann::json& reply_markup) {
  lock guard(mutex_);
  check_message_text(text);
  const auto markup = parse_inline_markup(reply_markup);
  auto target = message_to_edit(chat_id, message_id);
  auto& message = target.message;
  if (!message.photo.empty() || message.location || message.contact) {
    throw bad_request("there is no text in the message to edit");
  }
  // Telegram drops the inline keyboard of a message edited without one.
  if (message.text == text && message.reply_markup == markup) throw bad_request(not_modified);
  message.text = text;
  message.reply_markup = markup;
  mark_edited(message);
  return message_json(target.chat, message);
}

nlohmann::json world::bot_edit_message_caption(int64_t chat_id, int64_t message_id,
                                               const std::string& caption,
                                               const nlohmann::json& reply_markup) {
  lock guard(mutex_);
  check_caption(caption);
  const auto markup = parse_inline_markup(reply_markup);
  auto target = message_to_edit(chat_id, message_id);
  auto& message = target.message;
  if (message.photo.empty()) throw bad_request("there is no caption in the message to edit");
  if (message.caption == caption && message.reply_markup == markup) {
    throw bad_request(not_modified);
  }
  message.caption = caption;
  message.reply_markup = markup;
  mark_edited(message);
  return message_json(target.chat, message);
}

nlohmann::json world::bot_edit_message_reply_markup(int64_t chat_id, int64_t message_id,
                                                    const nlohmann::json& reply_markup) {
  lock guard(mutex_);
  const auto markup = parse_inline_markup(reply_markup);
  auto target = message_to_edit(chat_id, message_id);
  auto& message = target.message;
  if (message.reply_markup == markup) throw bad_request(not_modified);
  message.reply_markup = markup;
  mark_edited(message);
  return message_json(target.chat, message);
}

void world::bot_answer_callback_query(const std::string& query_id, const std::string& text,
                                      bool show_alert, const std::string& url) {
  lock guard(mutex_);
  const auto it = callbacks_.find(query_id);
  if (it == callbacks_.end() || it->second.answered) throw bad_request(invalid_query);
  if (utf8_length(text) > max_callback_answer_length) throw bad_request("MESSAGE_TOO_LONG");
  auto& answer = it->second;
  answer.answered = true;
  answer.text = text;
  answer.show_alert = show_alert;
  answer.url = url;
  changed();
}

void world::bot_send_chat_action(int64_t chat_id) {
  lock guard(mutex_);
  auto& chat = chat_for_bot(chat_id);
  if (chat.blocked) throw forbidden("bot was blocked by the user");
}

// ---- Bot settings

void world::bot_set_my_commands(const nlohmann::json& commands, const std::string& language_code) {
  auto list = parse_commands(commands);
  lock guard(mutex_);
  if (list.empty()) {
    commands_.erase(language_code);
  } else {
    commands_[language_code] = std::move(list);
  }
  changed();
}

void world::bot_delete_my_commands(const std::string& language_code) {
  lock guard(mutex_);
  commands_.erase(language_code);
  changed();
}

nlohmann::json world::bot_get_my_commands(const std::string& language_code) const {
  lock guard(mutex_);
  const auto it = commands_.find(language_code);
  return it == commands_.end() ? nlohmann::json::array() : it->second;
}

void world::bot_set_chat_menu_button(int64_t chat_id, const nlohmann::json& menu_button) {
  auto button = parse_menu_button(menu_button);
  lock guard(mutex_);
  if (chat_id == 0) {
    default_menu_button_ = std::move(button);
  } else {
    chat_for_bot(chat_id);
    chat_menu_buttons_[chat_id] = std::move(button);
  }
  changed();
}

nlohmann::json world::bot_get_chat_menu_button(int64_t chat_id) const {
  lock guard(mutex_);
  const auto it = chat_menu_buttons_.find(chat_id);
  return it == chat_menu_buttons_.end() ? default_menu_button_ : it->second;
}

std::string world::bot_set_webhook(const webhook_settings& settings, bool drop_pending_updates) {
  if (settings.url.empty()) return bot_delete_webhook(drop_pending_updates);
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
    apply_allowed_updates(*settings.allowed_updates);
  } else {
    webhook_.allowed_updates = previous_allowed;
  }
  if (drop_pending_updates) updates_.clear();
  changed();
  return same ? "Webhook is already set" : "Webhook was set";
}

std::string world::bot_delete_webhook(bool drop_pending_updates) {
  lock guard(mutex_);
  const bool had_webhook = !webhook_.url.empty();
  webhook_ = webhook_settings{};
  if (drop_pending_updates) updates_.clear();
  changed();
  return had_webhook ? "Webhook was deleted" : "Webhook is already deleted";
}

nlohmann::json world::bot_get_webhook_info() const {
  lock guard(mutex_);
  nlohmann::json info = {{"url", webhook_.url},
                         {"has_custom_certificate", false},
                         {"pending_update_count", updates_.size()}};
  if (!webhook_.url.empty()) {
    info["max_connections"] = webhook_.max_connections;
    if (allowed_updates_) {
      info["allowed_updates"] =
          std::vector<std::string>(allowed_updates_->begin(), allowed_updates_->end());
    }
  }
  return info;
}

}  // namespace lastcall::sandbox
