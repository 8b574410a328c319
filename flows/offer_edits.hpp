#pragma once
// The two small forms behind Edit price and Edit quantity: the new usual and deal price, or the new
// number of items. Each starts only once the offer's actor has confirmed the deal is the user's,
// and the actor checks again when the new value arrives.

#include <cstdint>

#include "flows/dispatcher.hpp"

namespace lastcall::flows::biz {

void start_price_edit(turn& t, services& s, int64_t offer_id);
void start_quantity_edit(turn& t, services& s, int64_t offer_id);

void add_offer_edits_handlers(dispatcher& r);

}  // namespace lastcall::flows::biz
