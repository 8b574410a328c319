#include "sandbox/bot_menu.hpp"

#include <utility>

#include "sandbox/bot_api_rules.hpp"

namespace lastcall::sandbox {

bot_menu::bot_menu(change_signal& signal)
    : signal_(signal), default_menu_button_({{"type", "default"}}) {}

void bot_menu::set_commands(const nlohmann::json& commands, const std::string& language_code) {
  auto list = parse_commands(commands);
  lock guard(mutex_);
  if (list.empty()) {
    commands_.erase(language_code);
  } else {
    commands_[language_code] = std::move(list);
  }
  signal_.notify();
}

void bot_menu::delete_commands(const std::string& language_code) {
  lock guard(mutex_);
  commands_.erase(language_code);
  signal_.notify();
}

nlohmann::json bot_menu::commands(const std::string& language_code) const {
  lock guard(mutex_);
  const auto it = commands_.find(language_code);
  return it == commands_.end() ? nlohmann::json::array() : it->second;
}

std::vector<std::string> bot_menu::command_names(const std::string& language_code) const {
  lock guard(mutex_);
  std::vector<std::string> names;
  const auto it = commands_.find(language_code);
  if (it == commands_.end()) return names;
  for (const auto& command : it->second) names.push_back(command["command"].get<std::string>());
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
  return {{"commands", commands_},
          {"menu_button", default_menu_button_},
          {"chat_menu_buttons", chat_buttons}};
}

}  // namespace lastcall::sandbox
