#pragma once
// What admins do: review business applications (a card with Approve / Reject arrives with each new
// one; /pending lists those waiting; /verify and /reject decide by command) and look at the state
// of the market (/stats), and save a snapshot of it (/snapshot, which to anyone else is an
// unknown command). The first decision on an application wins; an admin who decides second
// is told who was first. Everyone else gets a polite refusal, buttons included.

#include "flows/dispatcher.hpp"

namespace lastcall::flows {

void add_admin_handlers(dispatcher& r);

}  // namespace lastcall::flows
