#pragma once
// The bot's menu as its users see it: the command lists (per language) and the menu buttons (the
// default and per chat), set and read through the Bot API.
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

#include "sandbox/change_signal.hpp"

namespace lastcall::sandbox {

class bot_menu {
 public:
  explicit bot_menu(change_signal& signal);
  bot_menu(const bot_menu&) = delete;
  bot_menu& operator=(const bot_menu&) = delete;

  void set_commands(const nlohmann::json& commands, const std::string& language_code);
  void delete_commands(const std::string& language_code);
  nlohmann::json commands(const std::string& language_code) const;
  std::vector<std::string> command_names(const std::string& language_code) const;
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
  std::map<std::string, nlohmann::json> commands_;  // by language_code, "" for all languages
  nlohmann::json default_menu_button_;
  std::map<int64_t, nlohmann::json> chat_menu_buttons_;
};

}  // namespace lastcall::sandbox
