#pragma once
// What the bot tells Telegram about itself at start-up: who it is (getMe), its command list per
// language and its menu button, and that it polls (no webhook).

#include <string>

#include "telegram/bot_api_client.hpp"

namespace lastcall::app {

struct bot_identity {
  int64_t id = 0;
  std::string username;
};

// Asks getMe until the Bot API answers (it may still be starting), for at most `patience_ms`.
// Throws std::runtime_error with a clear reason when the token is refused or the API never answers.
bot_identity identify_bot(telegram::bot_api_client& client, long patience_ms);

// Registers the command list in every interface language and the menu button; failures are logged,
// not fatal: the bot works without them.
void register_commands(telegram::bot_api_client& client);

}  // namespace lastcall::app
