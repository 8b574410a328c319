#pragma once
// What customers do once they found food: Reserve from the card, /reservations, cancelling (a
// button or /cancel <number or code>), and the messages they get when a business pauses or ends a
// deal they reserved, when pickup time draws near, and when they missed it.

#include "flows/router.hpp"

namespace lastcall::flows {

void register_reservations(router& r);

}  // namespace lastcall::flows
