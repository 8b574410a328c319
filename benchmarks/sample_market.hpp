#pragma once
// Rows that look like a real market's, for the benchmarks: verified businesses with an address and
// a photo, offers with a title, a description and a photo (Telegram file ids are long), and
// reservations with real pickup codes and idempotency keys. Text lengths matter: strings longer
// than the small-string buffer cost a heap block each, in memory and at start-up.

#include <cstdint>

#include "domain/entities.hpp"

namespace lastcall::benchmarks {

// Business `id` (owner id derived from it), verified a day before `now`.
domain::business sample_business(int64_t id, int64_t now);

// An active offer of `business_id` with `quantity` items and nothing reserved yet; its pickup
// window starts in two hours and lasts two, so neither its reminder nor its expiry fires during a
// run.
domain::offer sample_offer(int64_t id, int64_t business_id, int64_t now, int32_t quantity);

// A one-item reservation of `offer` by `customer_id`; the caller keeps the offer's counters.
domain::reservation sample_reservation(int64_t id, const domain::offer& offer, int64_t customer_id,
                                       domain::reservation_status status, int64_t now);

// The owner of sample business `business_id`: ids no customer of the benchmarks uses.
int64_t sample_owner_id(int64_t business_id);

}  // namespace lastcall::benchmarks
