#pragma once
// The bot's menu as its users see it: the command lists (per scope and language) and the menu
// buttons (the default and per chat), set and read through the Bot API.
//
// Its own mutex guards it; it takes no other lock but the change_signal's. That a chat named for
// a menu button exists is the caller's check (chats::require_chat): chats are never removed, so
// the answer cannot go stale.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/bot_api_rules.hpp"
#include "sandbox/change_signal.hpp"

namespace lastcall::sandbox {

class bot_menu {
 public:
  explicit bot_menu(change_signal& signal);
  bot_menu(const bot_menu&) = delete;
  bot_menu& operator=(const bot_menu&) = delete;

  // One list per scope and language_code, as setMyCommands sets them; getMyCommands reads the
  // exact one (empty when none).
  void set_commands(const command_scope& scope, const nlohmann::json& commands,
                    const std::string& language_code);
  void delete_commands(const command_scope& scope, const std::string& language_code);
  nlohmann::json commands(const command_scope& scope, const std::string& language_code) const;
  // The names of the list a user of this private chat and language sees, chosen as Telegram
  // chooses: the chat's own list, then all private chats', then the default, each first in the
  // user's language and then for every language. chat_id 0: the default scope's only.
  std::vector<std::string> command_names(int64_t chat_id, const std::string& language_code) const;
  // `button` as parse_menu_button gave it: the caller checks the button before the chat, as
  // Telegram does.
  void set_menu_button(int64_t chat_id, nlohmann::json button);
  nlohmann::json menu_button(int64_t chat_id) const;  // 0: the default for all chats
  // The driver's view: "commands", "menu_button" and "chat_menu_buttons".
  nlohmann::json settings() const;

 private:
  using lock = std::unique_lock<std::mutex>;

  change_signal& signal_;
  mutable std::mutex mutex_;
  // By scope key, then by language_code ("" for every language).
  std::map<std::string, std::map<std::string, nlohmann::json>> commands_;
  nlohmann::json default_menu_button_;
  std::map<int64_t, nlohmann::json> chat_menu_buttons_;
};

}  // namespace lastcall::sandbox
