#pragma once
// The offer card a customer sees: what the food is, where and when to get it, what it costs, how
// many are left, and the buttons to pick a quantity and reserve. The card is drawn from the offer
// actor's answer, so whenever a button on it is tapped it can be redrawn with the current truth.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"
#include "domain/session_state.hpp"
#include "flows/customer_callbacks.hpp"
#include "flows/turn.hpp"

namespace lastcall::flows {

struct card_view {
  domain::offer offer;
  domain::business business;
  int32_t held_by_user = 0;  // items this customer holds in active reservations of the offer
  std::optional<domain::geo_point> customer_at;  // where the customer last said they are
};

// Why nobody can reserve the offer right now, as a text key ("customer.card.paused", ...), or
// empty when it is open for reservations.
std::string unavailable_key(const domain::offer& offer, int64_t now);

// How many items the customer may pick: what is left, capped by what the per-customer limit still
// allows (max_per_customer <= 0: no limit). 0 when nothing.
int32_t selectable_quantity(const domain::offer& offer, int32_t held_by_user, int max_per_customer);

std::string card_text(const turn& t, const card_view& view, size_t max_chars);

// Whether the business has a place on the map (registration asks for it; older rows may lack it).
bool has_place(const domain::business& business);
// "dir:<offer_id>": sends the offer's business as a venue, for directions in the maps app.
std::string directions_data(int64_t offer_id);

// Quantity − / + and Reserve while the customer can reserve, Directions when the business has a
// place, and Back to `back` always. The quantity is clamped to what may be picked.
nlohmann::json card_keyboard(const turn& t, const card_view& view, int32_t quantity,
                             const list_position& back);

// The card as a new message: a photo with the text as its caption when the offer has a photo.
void send_card(turn& t, const card_view& view, int32_t quantity, const list_position& back);

// Redraws the card whose button was tapped (text, or caption for a photo card, and buttons).
void redraw_card(turn& t, const card_view& view, int32_t quantity, const list_position& back);

}  // namespace lastcall::flows
