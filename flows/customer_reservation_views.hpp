#pragma once
// Reservations as the customer sees them: the confirmation with the pickup code, the list of
// /reservations, and the buttons that cancel them.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/reservation_history.hpp"
#include "flows/services.hpp"
#include "flows/turn.hpp"

namespace lastcall::flows {

// Where a Cancel button sits: under a reservation's confirmation, or in the /reservations list.
enum class cancel_origin { confirmation, list };

// What a Cancel button does: ask whether the customer means it, or act on their answer.
enum class cancel_step { ask, confirm, keep };

// "cancel:<reservation_id>" under a confirmation, "cancel:<reservation_id>:l" in the list; the
// answers to the question add ":y" (cancel it) or ":n" (keep it).
std::string cancel_data(int64_t reservation_id, cancel_origin origin,
                        cancel_step step = cancel_step::ask);

// Whether the customer may still cancel it: the same rule the offer applies to a cancellation.
bool still_cancellable(const turn& t, const reservation_entry& entry);

// The pickup code, what, where, when and how much, for a reservation just made.
std::string confirmation_text(const turn& t, const reservation_entry& entry);
nlohmann::json confirmation_keyboard(const turn& t, const reservation_entry& entry);

// "Cancel 2 × Croissant box?", asked once more before a reservation is given back, with its
// Yes / No buttons.
std::string cancel_question(const turn& t, const reservation_entry& entry);
nlohmann::json cancel_question_keyboard(const turn& t, const reservation_entry& entry,
                                        cancel_origin origin);

// The confirmation once the reservation is cancelled.
std::string cancelled_text(const turn& t, const reservation_entry& entry);

// The reservation as it stands: its confirmation while active, else what became of it (without a
// code that no longer picks anything up).
std::string reservation_text(const turn& t, const reservation_entry& entry);

// Active reservations first, then the most recent others; each list is capped.
std::vector<reservation_entry> reservations_to_show(std::vector<reservation_entry> entries);

std::string reservations_text(const turn& t, const std::vector<reservation_entry>& shown);
// A Cancel button per active reservation, then the button to the past ones.
nlohmann::json reservations_keyboard(const turn& t, const std::vector<reservation_entry>& shown);

// The history of past reservations, a page at a time from the database. A button's data says
// which page, and whether the tapped message is the history itself (edited in place) or the list
// (the history comes as a new message).
std::string history_data(int64_t offset, bool in_place);
std::string history_text(const turn& t, const domain::reservation_history_page& page,
                         int64_t offset);
nlohmann::json history_keyboard(const turn& t, const domain::reservation_history_page& page,
                                int64_t offset);

}  // namespace lastcall::flows
