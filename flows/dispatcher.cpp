#include "flows/dispatcher.hpp"

#include <sstream>

#include "telegram/command.hpp"

namespace lastcall::flows {

dispatcher::dispatcher() = default;

void dispatcher::on_command(const std::string& name, command_handler handler) {
  if (!commands_.count(name)) command_order_.push_back(name);
  commands_[name] = std::move(handler);
}

void dispatcher::on_callback(const std::string& prefix, callback_handler handler) {
  callbacks_[prefix] = std::move(handler);
}

void dispatcher::on_flow_input(const std::string& flow, input_handler handler) {
  flows_[flow] = std::move(handler);
}

void dispatcher::on_location(input_handler handler) {
  location_ = std::move(handler);
}

void dispatcher::on_menu_button(const std::string& label_key, const std::string& command) {
  menu_buttons_.emplace_back(label_key, command);
}

std::vector<std::string> dispatcher::commands() const {
  return command_order_;
}

std::vector<std::string> split_callback_data(const std::string& data) {
  std::vector<std::string> parts;
  std::stringstream in(data);
  std::string part;
  while (std::getline(in, part, ':')) parts.push_back(part);
  if (!data.empty() && data.back() == ':') parts.emplace_back();
  return parts;
}

void dispatcher::dispatch(turn& t, services& s) const {
  if (t.update().callback_query) {
    dispatch_callback(t, s);
    return;
  }
  if (t.update().message) {
    dispatch_message(t, s);
    return;
  }
  // Other kinds of updates (edited messages, channel posts) need no answer.
}

bool dispatcher::dispatch_callback(turn& t, services& s) const {
  auto parts = split_callback_data(t.update().callback_query->data);
  if (!parts.empty()) {
    auto it = callbacks_.find(parts.front());
    if (it != callbacks_.end()) {
      it->second(t, s, std::vector<std::string>(parts.begin() + 1, parts.end()));
      return true;
    }
  }
  // Forged, garbled or from an older version of the bot: say so, change nothing.
  t.answer(t.text("error.stale_button"), true);
  return false;
}

void dispatcher::run_command(turn& t, services& s, const std::string& name,
                             const std::string& args) const {
  auto it = commands_.find(name);
  if (it != commands_.end()) {
    it->second(t, s, args);
    return;
  }
  t.reply(t.text("error.unknown_command", {{"command", "/" + name}}));
}

bool dispatcher::dispatch_message(turn& t, services& s) const {
  const auto& message = *t.update().message;
  if (message.chat_type != "private" && !message.chat_type.empty())
    return false;  // private chats only

  if (!message.text.empty()) {
    if (auto command = telegram::parse_command(message.text, bot_username_)) {
      run_command(t, s, command->name, command->args);
      return true;
    }
    for (const auto& [label_key, command] : menu_buttons_) {
      for (auto lang : {domain::language::en, domain::language::ru, domain::language::uz}) {
        if (message.text == t.texts().text(lang, label_key)) {
          run_command(t, s, command, "");
          return true;
        }
      }
    }
  }

  if (t.session().in_flow()) {
    auto it = flows_.find(t.session().flow);
    if (it != flows_.end()) {
      it->second(t, s);
      return true;
    }
    t.session().leave_flow();  // a flow this version no longer has
  }

  if (message.location && location_) {
    location_(t, s);
    return true;
  }
  t.reply(t.text("error.unknown_input"));
  return false;
}

}  // namespace lastcall::flows
