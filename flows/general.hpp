#pragma once
// Greeting, help, language choice and the main menu: what every user meets first.

#include <nlohmann/json.hpp>

#include "flows/dispatcher.hpp"

namespace lastcall::flows {

void add_general_handlers(dispatcher& r);

// The main menu as a reply keyboard in the user's language.
nlohmann::json main_menu(const turn& t);

// The language picker as an inline keyboard.
nlohmann::json language_picker();

}  // namespace lastcall::flows
