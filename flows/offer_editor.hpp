#pragma once
// /newoffer: a verified business describes a deal one answer at a time (title, description, an
// optional photo, usual and deal price, quantity, pickup window), sees it the way customers will,
// and publishes it (getting a link to share), saves it as a draft for /publish later, or changes a
// field and looks again. The answers are a draft in the session: leaving the form, or the bot
// restarting, loses nothing.

#include "flows/dispatcher.hpp"

namespace lastcall::flows {

void add_offer_editor_handlers(dispatcher& r);

}  // namespace lastcall::flows
