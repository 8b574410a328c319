#pragma once
// A verified bakery and an active offer of it, as stored, for tests that build a market from rows
// rather than through the chat.

#include <cstdint>
#include <string>

#include "domain/entities.hpp"

namespace lastcall::testing {

inline domain::business verified_bakery(int64_t id, int64_t owner_id) {
  domain::business b;
  b.id = id;
  b.owner_id = owner_id;
  b.name = "Bakery Nord";
  b.address = "Main St 1";
  b.status = domain::business_status::verified;
  b.version = 1;
  return b;
}

// Six croissants at 10 instead of 20, to be picked up between `pickup_start` and `pickup_end`.
inline domain::offer active_croissants(int64_t id, int64_t business_id, int64_t pickup_start,
                                       int64_t pickup_end) {
  domain::offer o;
  o.id = id;
  o.business_id = business_id;
  o.title = "Croissants";
  o.original_price = 20;
  o.deal_price = 10;
  o.quantity_total = 6;
  o.state = domain::offer_state::active;
  o.pickup_start = pickup_start;
  o.pickup_end = pickup_end;
  o.version = 1;
  return o;
}

}  // namespace lastcall::testing
