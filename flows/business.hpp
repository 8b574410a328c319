#pragma once
// Everything businesses and admins do in the chat: registration and approval, posting deals,
// managing them and confirming pickups.

#include "flows/dispatcher.hpp"

namespace lastcall::flows {

void add_business_handlers(dispatcher& r);

}  // namespace lastcall::flows
