#pragma once
// The business side of pickups: the reservations of a deal (with a Collect button for each active
// one), /collect <code> for the code a customer shows, and the batched news of new reservations.

#include <cstdint>

#include "flows/dispatcher.hpp"

namespace lastcall::flows::biz {

void show_reservations(turn& t, services& s, int64_t offer_id);
void collect_reservation(turn& t, services& s, int64_t offer_id, int64_t reservation_id);

void add_pickups_handlers(dispatcher& r);

}  // namespace lastcall::flows::biz
