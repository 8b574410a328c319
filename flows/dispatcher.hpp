#pragma once
// One entry point from an update to the flow that handles it. Features register what they take:
// commands, callback-data prefixes, and the multi-step flows whose input they read. Order of
// precedence, so that any command or button works at any time: a tapped button, a command, a
// main-menu button, then the input a flow in progress waits for, then a helpful answer for anything
// else.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "flows/turn.hpp"

namespace lastcall::flows {

class services;

using command_handler = std::function<void(turn&, services&, const std::string& args)>;
using callback_handler =
    std::function<void(turn&, services&, const std::vector<std::string>& parts)>;
using input_handler = std::function<void(turn&, services&)>;

class dispatcher {
 public:
  dispatcher();

  void on_command(const std::string& name, command_handler handler);
  // Callback data is "prefix:part:part..."; the handler gets the parts after the prefix.
  void on_callback(const std::string& prefix, callback_handler handler);
  // Input (text, location, contact, photo) while the session is in `flow`.
  void on_flow_input(const std::string& flow, input_handler handler);
  // A location shared outside any flow.
  void on_location(input_handler handler);
  // A main-menu button: its label (text key) runs a command.
  void on_menu_button(const std::string& label_key, const std::string& command);

  void dispatch(turn& t, services& s) const;

  // The commands each role may use, in the order /help lists them.
  std::vector<std::string> commands() const;

  void set_bot_username(std::string name) { bot_username_ = std::move(name); }
  const std::string& bot_username() const { return bot_username_; }

 private:
  bool dispatch_callback(turn& t, services& s) const;
  bool dispatch_message(turn& t, services& s) const;
  void run_command(turn& t, services& s, const std::string& name, const std::string& args) const;

  std::map<std::string, command_handler> commands_;
  std::vector<std::string> command_order_;
  std::map<std::string, callback_handler> callbacks_;
  std::map<std::string, input_handler> flows_;
  std::vector<std::pair<std::string, std::string>> menu_buttons_;
  input_handler location_;
  std::string bot_username_;
};

// The dispatcher with every feature registered. Configure it (set_bot_username) before the actors
// start; after that it is only read.
dispatcher& default_dispatcher();

// Splits callback data "a:b:c" into its parts; data is user input and may be anything.
std::vector<std::string> split_callback_data(const std::string& data);

}  // namespace lastcall::flows
