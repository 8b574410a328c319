#pragma once
// /stats for admins: the market now (from memory), and today, the last 7 and the last 30 days
// (from the database, services::period_figures), one tap apart on the same message. The caller
// checks that the user is an admin.

#include <string>

#include "flows/services.hpp"
#include "flows/turn.hpp"

namespace lastcall::flows {

// "/stats", "/stats today", "/stats 7d", "/stats 30d"; anything else is answered with the usage.
void stats_command(turn& t, services& s, const std::string& args);
// A tapped view button (adm:stats:<view>): the view, or a stale-button answer for a forged one.
void stats_tapped(turn& t, services& s, const std::string& view);

}  // namespace lastcall::flows
