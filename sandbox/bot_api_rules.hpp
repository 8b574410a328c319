#pragma once
// The checks Telegram applies to what a bot sends, with Telegram's own error wording (thrown as
// bot_api_error), plus the entity detection Telegram performs on what users send.
//
// JSON-valued parameters arrive as objects in JSON bodies but as strings in form posts and query
// strings; every parse_* function here accepts both.

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lastcall::sandbox {

constexpr size_t max_text_length = 4096;     // code points
constexpr size_t max_caption_length = 1024;  // code points
constexpr size_t max_callback_data_bytes = 64;
constexpr size_t max_callback_answer_length = 200;  // code points
constexpr size_t max_command_length = 32;
constexpr size_t max_command_description_length = 256;

// Code points in UTF-8 text (Telegram's limits are stated in characters, not bytes).
size_t utf8_length(const std::string& text);

// Telegram trims messages: one made only of whitespace counts as empty.
bool is_blank(const std::string& text);

void check_message_text(const std::string& text);
void check_caption(const std::string& caption);

// Returns the markup to store, or null for none (absent, "", or an inline keyboard without
// buttons).
nlohmann::json parse_reply_markup(const nlohmann::json& raw);

// The edit methods accept inline keyboards only.
nlohmann::json parse_inline_markup(const nlohmann::json& raw);

bool is_inline_keyboard(const nlohmann::json& markup);
bool is_reply_keyboard(const nlohmann::json& markup);
bool removes_keyboard(const nlohmann::json& markup);

// An array of {command, description}; [] clears the list.
nlohmann::json parse_commands(const nlohmann::json& raw);

// Who a command list is for (BotCommandScope). The sandbox has private chats only, so of the scopes
// bound to a chat only "chat" applies; the others are refused as Telegram refuses them for a
// private chat.
struct command_scope {
  std::string type = "default";
  int64_t chat_id = 0;  // for "chat"
  // "default", "all_private_chats", "chat:42", ...: one command list per scope and language.
  std::string key() const;
};
// A missing scope is the default one. Throws bot_api_error 400 with Telegram's "can't parse
// BotCommandScope: ..." for one it cannot read.
command_scope parse_command_scope(const nlohmann::json& raw);
// Empty, or two lower-case letters; else 400 "invalid language code specified".
void check_language_code(const std::string& language_code);

// A MenuButton object; absent means {"type":"default"}.
nlohmann::json parse_menu_button(const nlohmann::json& raw);

std::vector<std::string> parse_allowed_updates(const nlohmann::json& raw);

// The `entities` Telegram attaches to a user's text: a bot_command when it starts with "/command".
nlohmann::json command_entities(const std::string& text);

}  // namespace lastcall::sandbox
