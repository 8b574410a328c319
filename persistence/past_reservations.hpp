#pragma once
// A customer's past reservations from the tables, newest first, with what each needs to be shown
// (the deal's title and window, the business's name and address). Runs on a reader's connection.

#include <cstdint>

#include <pqxx/connection>

#include "domain/reservation_history.hpp"

namespace lastcall::persistence {

// The page of `customer_id`'s reservations that are no longer active, starting `offset` entries
// back; `more` says whether older ones follow.
domain::reservation_history_page read_past_reservations(pqxx::connection& connection,
                                                        int64_t customer_id, int64_t offset,
                                                        int64_t limit);

}  // namespace lastcall::persistence
