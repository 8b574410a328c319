#pragma once
// Reservations as the customer sees them: the confirmation with the pickup code, the list of
// /reservations, and the buttons that cancel them.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "flows/services.hpp"
#include "flows/turn.hpp"

namespace lastcall::flows {

// Where a Cancel button sits: under a reservation's confirmation, or in the /reservations list.
enum class cancel_origin { confirmation, list };

// "cancel:<reservation_id>" under a confirmation, "cancel:<reservation_id>:l" in the list.
std::string cancel_data(int64_t reservation_id, cancel_origin origin);

// The pickup code, what, where, when and how much, for a reservation just made.
std::string confirmation_text(const turn& t, const reservation_entry& entry);
nlohmann::json confirmation_keyboard(const turn& t, const reservation_entry& entry);

// The confirmation once the reservation is cancelled.
std::string cancelled_text(const turn& t, const reservation_entry& entry);

// Active reservations first, then the most recent others; each list is capped.
std::vector<reservation_entry> reservations_to_show(std::vector<reservation_entry> entries);

std::string reservations_text(const turn& t, const std::vector<reservation_entry>& shown);
// A Cancel button per active reservation; null when there is none.
nlohmann::json reservations_keyboard(const turn& t, const std::vector<reservation_entry>& shown);

}  // namespace lastcall::flows
