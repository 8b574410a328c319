#pragma once
// A business manages its deals: /myoffers lists them with live figures and a button per action the
// deal's state allows (Publish, Pause, Resume, Edit price, Edit quantity, Reservations, End);
// /publish, /pause, /resume, /end and /edit <id> do the same by command. Every action goes to the
// offer's actor, which checks that the deal belongs to the user: ids in buttons and commands are
// user input.

#include "flows/dispatcher.hpp"

namespace lastcall::flows {

// Registers deal management, its edit forms (offer_edits.hpp) and pickups (pickups.hpp).
void add_offer_management_handlers(dispatcher& r);

}  // namespace lastcall::flows
