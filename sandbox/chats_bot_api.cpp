// The chats' Bot API side: what the bot sends, edits and answers, with Telegram's semantics and
// error wording.

#include <algorithm>
#include <utility>

#include "sandbox/bot_api_error.hpp"
#include "sandbox/bot_api_json.hpp"
#include "sandbox/bot_api_rules.hpp"
#include "sandbox/chats.hpp"

namespace lastcall::sandbox {

namespace {

constexpr const char* not_modified =
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message";
constexpr const char* invalid_query =
    "query is too old and response timeout expired or query ID is invalid";

void require_chat_id(int64_t chat_id) {
  if (chat_id == 0) throw bad_request("chat_id is empty");
}

}  // namespace

const chats::chat_state& chats::chat_for_bot(int64_t chat_id) const {
  require_chat_id(chat_id);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) throw bad_request("chat not found");
  return it->second;
}

chats::chat_state& chats::chat_for_bot(int64_t chat_id) {
  return const_cast<chat_state&>(std::as_const(*this).chat_for_bot(chat_id));
}

void chats::require_chat(int64_t chat_id) const {
  lock guard(mutex_);
  chat_for_bot(chat_id);
}

chats::edit_target chats::message_to_edit(int64_t chat_id, int64_t message_id) {
  auto& chat = chat_for_bot(chat_id);
  auto* message = find_message(chat, message_id);
  if (message == nullptr) throw bad_request("message to edit not found");
  if (!message->from_bot) throw bad_request("message can't be edited");
  return {chat, *message};
}

nlohmann::json chats::add_bot_message(chat_state& chat, chat_message message) {
  message.message_id = chat.next_message_id++;
  message.from_bot = true;
  message.date = now_unix();
  if (is_reply_keyboard(message.reply_markup)) chat.reply_keyboard = message.reply_markup;
  if (removes_keyboard(message.reply_markup)) chat.reply_keyboard = nullptr;
  chat.messages.push_back(std::move(message));
  signal_.notify();
  return message_json(chat, chat.messages.back());
}

nlohmann::json chats::edited(const chat_state& chat, chat_message& message) {
  ++message.edit_count;
  message.edit_date = now_unix();
  signal_.notify();
  return message_json(chat, message);
}

nlohmann::json chats::bot_send_message(int64_t chat_id, const std::string& text,
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

nlohmann::json chats::bot_send_photo(int64_t chat_id, const std::string& photo,
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

nlohmann::json chats::bot_send_venue(int64_t chat_id, std::optional<double> latitude,
                                     std::optional<double> longitude, const std::string& title,
                                     const std::string& address) {
  lock guard(mutex_);
  require_chat_id(chat_id);
  if (!latitude || !longitude) throw bad_request("latitude and longitude are required");
  if (*latitude < -90 || *latitude > 90 || *longitude < -180 || *longitude > 180)
    throw bad_request("wrong location specified");
  if (title.empty()) throw bad_request("venue title is empty");
  if (address.empty()) throw bad_request("venue address is empty");
  chat_message message;
  message.location = telegram::location{*latitude, *longitude};
  message.venue = venue{title, address};
  auto& chat = chat_for_bot(chat_id);
  if (chat.blocked) throw forbidden("bot was blocked by the user");
  return add_bot_message(chat, std::move(message));
}

nlohmann::json chats::bot_edit_message_text(int64_t chat_id, int64_t message_id,
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
  return edited(target.chat, message);
}

nlohmann::json chats::bot_edit_message_caption(int64_t chat_id, int64_t message_id,
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
  return edited(target.chat, message);
}

nlohmann::json chats::bot_edit_message_reply_markup(int64_t chat_id, int64_t message_id,
                                                    const nlohmann::json& reply_markup) {
  lock guard(mutex_);
  const auto markup = parse_inline_markup(reply_markup);
  auto target = message_to_edit(chat_id, message_id);
  auto& message = target.message;
  if (message.reply_markup == markup) throw bad_request(not_modified);
  message.reply_markup = markup;
  return edited(target.chat, message);
}

void chats::bot_answer_callback_query(const std::string& query_id, const std::string& text,
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
  signal_.notify();
}

void chats::bot_send_chat_action(int64_t chat_id) {
  lock guard(mutex_);
  const auto& chat = chat_for_bot(chat_id);
  if (chat.blocked) throw forbidden("bot was blocked by the user");
}

}  // namespace lastcall::sandbox
