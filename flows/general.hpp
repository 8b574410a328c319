#pragma once
// Greeting, help, language choice and the main menu: what every user meets first.

#include <nlohmann/json.hpp>

#include "flows/router.hpp"

namespace lastcall::flows {

void register_general(router& r);

// The main menu as a reply keyboard in the user's language.
nlohmann::json main_menu(const turn& t);

// The language picker as an inline keyboard.
nlohmann::json language_picker();

}  // namespace lastcall::flows
