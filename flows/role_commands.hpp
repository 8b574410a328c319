#pragma once
// The command menu of each role. Everyone's list (the default scope) holds the customer's
// commands and is set at start-up; an owner's or admin's chat gets a list of its own
// (BotCommandScopeChat) when the role is known: at the approval and at /start.

#include <string>
#include <vector>

#include "flows/turn.hpp"

namespace lastcall::flows {

// The commands, without the slash, in menu order.
std::vector<std::string> customer_commands();
std::vector<std::string> role_commands(bool owner, bool admin);

// (command, description) pairs in one language, for setMyCommands.
std::vector<std::pair<std::string, std::string>> described(const std::vector<std::string>& names,
                                                           const domain::ui_texts& texts,
                                                           domain::language lang);

// Gives the user's chat the list of their role in every language (a customer's chat keeps
// everyone's list), or takes it away when they are a customer again.
void set_role_commands(turn& t);
void drop_role_commands(turn& t);

}  // namespace lastcall::flows
