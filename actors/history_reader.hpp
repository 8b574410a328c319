#pragma once
// Reads the past from the database: the figures of a period for admins (/stats) and a customer's
// past reservations. Runs detached with its own connection: a report may scan whole tables, and
// neither the writer nor the loading of users may wait for it. Everything it reads was committed,
// so it never shows what the bot has not yet said.

#include <cstdint>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "domain/market_report.hpp"
#include "domain/reservation_history.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::domain::period_figures)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::domain::reservation_history_page)

namespace lastcall::actors {

// (report_atom, from, to) in Unix seconds, `to` excluded -> the period's figures.
// (history_atom, customer id, offset) -> a page of that customer's past reservations.
// Either answers an error when the database is unreachable.
using history_reader_actor = caf::typed_actor<
    caf::replies_to<report_atom, int64_t, int64_t>::with<domain::period_figures>,
    caf::replies_to<history_atom, int64_t, int64_t>::with<domain::reservation_history_page>>;

history_reader_actor spawn_history_reader(caf::actor_system& system, std::string database_url);

}  // namespace lastcall::actors
