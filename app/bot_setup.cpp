#include "app/bot_setup.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "domain/ui_texts.hpp"
#include "flows/role_commands.hpp"
#include "logs/event.hpp"
#include "telegram/requests.hpp"

namespace lastcall::app {

namespace {

void call_or_warn(telegram::bot_api_client& client, const telegram::api_call& call) {
  auto result = client.call_blocking(call.method, call.params, 10'000);
  if (!result.ok())
    logs::warn(logs::event("bot_setup", "call_failed"), "{} failed: {}", call.method,
               result.description);
}

}  // namespace

bot_identity identify_bot(telegram::bot_api_client& client, long patience_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(patience_ms);
  auto pause = std::chrono::milliseconds(100);
  for (;;) {
    auto call = telegram::get_me();
    auto result = client.call_blocking(call.method, call.params, 10'000);
    if (result.ok() && result.result.is_object()) {
      bot_identity me;
      me.id = result.result.value("id", int64_t{0});
      me.username = result.result.value("username", std::string());
      return me;
    }
    if (result.error_code == 401 || result.error_code == 404)
      throw std::runtime_error("the Bot API refused the bot token (BOT_TOKEN)");
    if (std::chrono::steady_clock::now() + pause > deadline)
      throw std::runtime_error("the Bot API did not answer getMe: " + result.description);
    logs::warn(logs::event("bot_setup", "get_me_retry"), "getMe failed ({}); retrying",
               result.description);
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(2000));
  }
}

void register_commands(telegram::bot_api_client& client) {
  const auto& texts = domain::ui_texts::builtin();
  // Everyone's list is the customer's; owners and admins get theirs in their own chats.
  const auto names = flows::customer_commands();
  for (auto lang : {domain::language::en, domain::language::ru, domain::language::uz}) {
    const auto commands = flows::described(names, texts, lang);
    // English is also the list for every language without its own.
    if (lang == domain::language::en) call_or_warn(client, telegram::set_my_commands(commands));
    call_or_warn(client, telegram::set_my_commands(commands, domain::to_string(lang)));
  }
  call_or_warn(client, telegram::set_chat_menu_button_commands());
}

}  // namespace lastcall::app
