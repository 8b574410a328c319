#pragma once
// Builders for the Bot API calls the bot makes. Texts go out as plain text (no parse_mode), so
// user-supplied names and descriptions never need escaping. A null reply_markup is left out of the
// call.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "telegram/api_call.hpp"

namespace lastcall::telegram {

api_call send_message(int64_t chat_id, std::string text, nlohmann::json reply_markup = nullptr,
                      call_priority priority = call_priority::interactive);

// `file_id` is a Telegram file id (a photo the bot received earlier). An empty caption is left out.
api_call send_photo(int64_t chat_id, std::string file_id, std::string caption = "",
                    nlohmann::json reply_markup = nullptr,
                    call_priority priority = call_priority::interactive);

// A place on the map with its name and address: the chat shows a map, and one tap opens directions
// in the user's maps app.
api_call send_venue(int64_t chat_id, double latitude, double longitude, std::string title,
                    std::string address, call_priority priority = call_priority::interactive);

api_call edit_message_text(int64_t chat_id, int64_t message_id, std::string text,
                           nlohmann::json reply_markup = nullptr,
                           call_priority priority = call_priority::interactive);

// A null markup removes the message's inline keyboard.
api_call edit_message_reply_markup(int64_t chat_id, int64_t message_id,
                                   nlohmann::json reply_markup = nullptr,
                                   call_priority priority = call_priority::interactive);

// Stops the spinner on a tapped button; a non-empty text shows as a toast (or an alert when
// show_alert). Not tied to a chat's order, so chat_id is 0.
api_call answer_callback_query(const std::string& query_id, const std::string& text = "",
                               bool show_alert = false);

// The command menu: (command without slash, description) pairs, for one language or, when
// `language_code` is empty, for every user without a dedicated list.
api_call set_my_commands(std::vector<std::pair<std::string, std::string>> commands,
                         const std::string& language_code = "");

// The command menu of one private chat (BotCommandScopeChat): what the user there sees instead of
// the list for everyone, in their language or, with an empty `language_code`, in any. Goes in the
// chat's order, below answers.
api_call set_chat_commands(int64_t chat_id,
                           std::vector<std::pair<std::string, std::string>> commands,
                           const std::string& language_code);
// Drops that chat's own list, so the user sees the list for everyone again.
api_call delete_chat_commands(int64_t chat_id, const std::string& language_code);

// Makes the menu button next to the input field open the command list.
api_call set_chat_menu_button_commands();

api_call delete_webhook(bool drop_pending = false);

// Telegram POSTs updates to `url` with `secret_token` in X-Telegram-Bot-Api-Secret-Token.
api_call set_webhook(const std::string& url, const std::string& secret_token,
                     const std::vector<std::string>& allowed_updates, int max_connections);

api_call get_me();

// Long polling. `allowed_updates` is always sent: an empty list means every kind except chat_member
// updates, whereas leaving the field out would keep whatever an earlier call asked for.
api_call get_updates(int64_t offset, int timeout_seconds, int limit,
                     std::vector<std::string> allowed_updates);

}  // namespace lastcall::telegram
