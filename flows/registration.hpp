#pragma once
// /register: a business applies, one answer at a time (name, address, location pin, phone, an
// optional photo), and the application goes to the admins. /mybusiness shows where it stands; the
// owner hears the admins' decision. The answers are a draft in the session, so a user who leaves
// the form (any command works at any time) continues where they stopped.

#include "flows/dispatcher.hpp"

namespace lastcall::flows {

void add_registration_handlers(dispatcher& r);

}  // namespace lastcall::flows
