#pragma once
// The JSON shapes the sandbox hands out: Bot API objects exactly as Telegram serialises them
// (optional fields left out, never null), and the driver's plainer views of the same state.

#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/bot_api_error.hpp"
#include "sandbox/chats.hpp"
#include "telegram/types.hpp"

namespace lastcall::sandbox {

nlohmann::json user_json(const user_profile& user);
nlohmann::json bot_user_json(const bot_identity& bot);
nlohmann::json private_chat_json(const user_profile& user);
nlohmann::json photo_json(const std::vector<telegram::photo_size>& sizes);

// A Message in the private chat with `chat_user`. A bot message shows only an inline keyboard as
// its reply_markup, as Telegram does; a user's text carries its bot_command entity.
nlohmann::json message_json(const chat_message& message, const user_profile& chat_user,
                            const bot_identity& bot);

// {"ok":false,"error_code":N,"description":"...", "parameters":{"retry_after":N} for 429}
nlohmann::json error_json(const bot_api_error& error);

// Driver views.
nlohmann::json chat_message_view(const chat_message& message);
nlohmann::json callback_answer_view(const callback_answer& answer);

}  // namespace lastcall::sandbox
