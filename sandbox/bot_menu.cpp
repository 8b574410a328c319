#include "sandbox/bot_menu.hpp"

#include <utility>

#include "sandbox/bot_api_rules.hpp"

namespace lastcall::sandbox {

bot_menu::bot_menu(change_signal& signal)
    : signal_(signal), default_menu_button_({{"type", "default"}}) {}

void bot_menu::set_commands(const command_scope& scope, const nlohmann::json& commands,
                            const std::string& language_code) {
  auto list = parse_commands(commands);
  lock guard(mutex_);
  auto& lists = commands_[scope.key()];
  if (list.empty()) {
    lists.erase(language_code);
  } else {
    lists[language_code] = std::move(list);
  }
  if (lists.empty()) commands_.erase(scope.key());
  signal_.notify();
}

void bot_menu::delete_commands(const command_scope& scope, const std::string& language_code) {
  lock guard(mutex_);
  auto it = commands_.find(scope.key());
  if (it != commands_.end()) {
    it->second.erase(language_code);
    if (it->second.empty()) commands_.erase(it);
  }
  signal_.notify();
}

nlohmann::json bot_menu::commands(const command_scope& scope,
                                  const std::string& language_code) const {
  lock guard(mutex_);
  const auto lists = commands_.find(scope.key());
  if (lists == commands_.end()) return nlohmann::json::array();
  const auto it = lists->second.find(language_code);
  return it == lists->second.end() ? nlohmann::json::array() : it->second;
}

std::vector<std::string> bot_menu::command_names(int64_t chat_id,
                                                 const std::string& language_code) const {
  lock guard(mutex_);
  std::vector<std::string> scopes;
  if (chat_id != 0) {
    scopes.push_back("chat:" + std::to_string(chat_id));
    scopes.push_back("all_private_chats");
  }
  scopes.push_back("default");
  std::vector<std::string> names;
  for (const auto& key : scopes) {
    const auto lists = commands_.find(key);
    if (lists == commands_.end()) continue;
    for (const auto& language : {language_code, std::string()}) {
      const auto it = lists->second.find(language);
      if (it == lists->second.end()) continue;
      for (const auto& command : it->second) names.push_back(command["command"].get<std::string>());
      return names;
    }
  }
  return names;
}

void bot_menu::set_menu_button(int64_t chat_id, nlohmann::json button) {
  lock guard(mutex_);
  if (chat_id == 0) {
    default_menu_button_ = std::move(button);
  } else {
    chat_menu_buttons_[chat_id] = std::move(button);
  }
  signal_.notify();
}

nlohmann::json bot_menu::menu_button(int64_t chat_id) const {
  lock guard(mutex_);
  const auto it = chat_menu_buttons_.find(chat_id);
  return it == chat_menu_buttons_.end() ? default_menu_button_ : it->second;
}

nlohmann::json bot_menu::settings() const {
  lock guard(mutex_);
  auto chat_buttons = nlohmann::json::object();
  for (const auto& [chat_id, button] : chat_menu_buttons_) {
    chat_buttons[std::to_string(chat_id)] = button;
  }
  // "commands": the default scope's lists by language; "scoped_commands": every scope's.
  const auto defaults = commands_.find("default");
  return {{"commands", defaults == commands_.end() ? nlohmann::json::object()
                                                   : nlohmann::json(defaults->second)},
          {"scoped_commands", commands_},
          {"menu_button", default_menu_button_},
          {"chat_menu_buttons", chat_buttons}};
}

}  // namespace lastcall::sandbox
