#pragma once
// Everything businesses and admins do in the chat: registration and approval, posting deals,
// managing them and confirming pickups.

#include "flows/router.hpp"

namespace lastcall::flows {

void register_business(router& r);

}  // namespace lastcall::flows
