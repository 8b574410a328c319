#pragma once
// What customers do once they found food: Reserve from the card, /reservations, cancelling (a
// button or /cancel <number or code>), and the messages they get when a business pauses or ends a
// deal they reserved, when pickup time draws near, and when they missed it.

#include "flows/dispatcher.hpp"

namespace lastcall::flows {

void add_reservations_handlers(dispatcher& r);

}  // namespace lastcall::flows
